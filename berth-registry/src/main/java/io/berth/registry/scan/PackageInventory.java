package io.berth.registry.scan;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * What an image has installed, read from its layers: the OS ({@code /etc/os-release}) and the
 * package databases of dpkg ({@code /var/lib/dpkg/status}, {@code /var/lib/dpkg/status.d/*}) and apk
 * ({@code /lib/apk/db/installed}). Layers apply in order with their whiteouts. Not thread-safe.
 */
public final class PackageInventory {
    private static final int MAX_FILE = 64 * 1024 * 1024;

    /** The OS and the packages found. {@code ecosystem} is OSV's name (e.g. {@code Debian:12}), or empty. */
    public record Result(Optional<String> ecosystem, List<InstalledPackage> packages) {
        public boolean supported() {
            return !packages.isEmpty() || ecosystem.isPresent();
        }
    }

    private final Map<String, byte[]> files = new HashMap<>();

    /** Applies one layer (a tar, gzip-compressed or not). */
    public void addLayer(InputStream layer) throws IOException {
        InputStream in = new BufferedInputStream(layer, 64 * 1024);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            in = new GZIPInputStream(in, 64 * 1024);
        }
        TarReader tar = new TarReader(in);
        Map<String, byte[]> added = new HashMap<>();
        List<String> whiteouts = new ArrayList<>();
        List<String> opaque = new ArrayList<>();
        TarReader.Entry e;
        while ((e = tar.next()) != null) {
            String path = normalize(e.name());
            int slash = path.lastIndexOf('/');
            String dir = slash < 0 ? "" : path.substring(0, slash);
            String base = path.substring(slash + 1);
            if (base.equals(".wh..wh..opq")) {
                opaque.add(dir);
            } else if (base.startsWith(".wh.")) {
                whiteouts.add((dir.isEmpty() ? "" : dir + "/") + base.substring(4));
            } else if (e.file() && interesting(path) && e.size() <= MAX_FILE) {
                added.put(path, tar.content(MAX_FILE));
            }
        }
        for (String dir : opaque) {
            files.keySet().removeIf(k -> k.startsWith(dir + "/"));
        }
        for (String gone : whiteouts) {
            files.keySet().removeIf(k -> k.equals(gone) || k.startsWith(gone + "/"));
        }
        files.putAll(added);
    }

    public Result result() {
        List<InstalledPackage> packages = new ArrayList<>();
        files.forEach((path, content) -> {
            if (path.equals("var/lib/dpkg/status") || path.startsWith("var/lib/dpkg/status.d/")) {
                packages.addAll(dpkg(new String(content, StandardCharsets.UTF_8)));
            } else if (path.equals("lib/apk/db/installed")) {
                packages.addAll(apk(new String(content, StandardCharsets.UTF_8)));
            }
        });
        packages.sort(java.util.Comparator.comparing(InstalledPackage::name));
        byte[] osRelease = files.getOrDefault("etc/os-release", files.get("usr/lib/os-release"));
        return new Result(osRelease == null ? Optional.empty() : ecosystem(new String(osRelease, StandardCharsets.UTF_8)),
                List.copyOf(packages));
    }

    static boolean interesting(String path) {
        return path.equals("etc/os-release") || path.equals("usr/lib/os-release") || path.equals("var/lib/dpkg/status")
                || (path.startsWith("var/lib/dpkg/status.d/") && !path.endsWith(".md5sums"))
                || path.equals("lib/apk/db/installed");
    }

    private static String normalize(String name) {
        String n = name;
        while (n.startsWith("./") || n.startsWith("/")) {
            n = n.startsWith("./") ? n.substring(2) : n.substring(1);
        }
        return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
    }

    /** Installed packages of a dpkg status file (paragraphs of {@code Field: value}). */
    static List<InstalledPackage> dpkg(String text) {
        List<InstalledPackage> out = new ArrayList<>();
        for (String paragraph : text.split("\n\\s*\n")) {
            Map<String, String> fields = new HashMap<>();
            for (String line : paragraph.split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && !line.startsWith(" ")) {
                    fields.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                }
            }
            String name = fields.get("Package");
            String version = fields.get("Version");
            String status = fields.getOrDefault("Status", "install ok installed");
            if (name == null || version == null || !status.endsWith("installed") || status.endsWith("not-installed")) {
                continue;
            }
            String source = fields.get("Source");
            String sourceVersion = version;
            if (source != null) {
                int paren = source.indexOf('(');
                if (paren > 0) {
                    sourceVersion = source.substring(paren + 1, source.indexOf(')', paren)).trim();
                    source = source.substring(0, paren).trim();
                }
            }
            out.add(new InstalledPackage(name, source, sourceVersion, "dpkg"));
        }
        return out;
    }

    /** Installed packages of an apk database (paragraphs of {@code X:value} lines). */
    static List<InstalledPackage> apk(String text) {
        List<InstalledPackage> out = new ArrayList<>();
        for (String paragraph : text.split("\n\\s*\n")) {
            String name = null;
            String version = null;
            String origin = null;
            for (String line : paragraph.split("\n")) {
                if (line.startsWith("P:")) {
                    name = line.substring(2).trim();
                } else if (line.startsWith("V:")) {
                    version = line.substring(2).trim();
                } else if (line.startsWith("o:")) {
                    origin = line.substring(2).trim();
                }
            }
            if (name != null && version != null) {
                out.add(new InstalledPackage(name, origin, version, "apk"));
            }
        }
        return out;
    }

    /** OSV's ecosystem of an os-release file: Debian:12, Alpine:v3.19, Ubuntu:22.04. */
    static Optional<String> ecosystem(String osRelease) {
        Map<String, String> fields = new HashMap<>();
        for (String line : osRelease.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim().replace("\"", ""));
            }
        }
        String id = fields.getOrDefault("ID", "").toLowerCase(Locale.ROOT);
        String version = fields.getOrDefault("VERSION_ID", "");
        return switch (id) {
            case "debian" -> Optional.of(version.isEmpty() ? "Debian" : "Debian:" + version.split("\\.")[0]);
            case "alpine" -> {
                String[] parts = version.split("\\.");
                yield Optional.of(parts.length >= 2 ? "Alpine:v" + parts[0] + "." + parts[1] : "Alpine");
            }
            case "ubuntu" -> Optional.of(version.isEmpty() ? "Ubuntu" : "Ubuntu:" + version);
            default -> id.isEmpty() ? Optional.empty() : Optional.of(id);
        };
    }
}
