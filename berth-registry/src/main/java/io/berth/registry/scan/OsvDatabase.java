package io.berth.registry.scan;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.registry.RegistryJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Vulnerabilities in the OSV format (https://ossf.github.io/osv-schema/), loaded from a directory
 * of {@code *.json} files (one vulnerability each, or arrays of them), and matched against installed
 * packages by ecosystem, name and version ({@code versions} lists and {@code ECOSYSTEM} ranges with
 * {@code introduced}/{@code fixed}/{@code last_affected}, in apk version order for Alpine, dpkg's
 * otherwise). Immutable once loaded; thread-safe.
 */
public final class OsvDatabase {
    private record Affected(String ecosystem, String name, List<String> versions, List<JsonNode> ranges) {
    }

    private record Vulnerability(String id, String summary, String severity, String uri, List<Affected> affected) {
    }

    private final Map<String, List<Vulnerability>> byName;
    private final int size;

    private OsvDatabase(Map<String, List<Vulnerability>> byName, int size) {
        this.byName = byName;
        this.size = size;
    }

    public static OsvDatabase empty() {
        return new OsvDatabase(Map.of(), 0);
    }

    /** Loads every {@code .json} file under {@code dir} (absent: an empty database). */
    public static OsvDatabase load(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return empty();
        }
        Map<String, List<Vulnerability>> byName = new HashMap<>();
        int count = 0;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode root = RegistryJson.MAPPER.readTree(file.toFile());
                for (JsonNode v : root.isArray() ? root : List.of(root)) {
                    Vulnerability vuln = parse(v);
                    if (vuln == null) {
                        continue;
                    }
                    count++;
                    for (Affected a : vuln.affected()) {
                        byName.computeIfAbsent(a.name(), n -> new ArrayList<>()).add(vuln);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OSV database at " + dir, e);
        }
        return new OsvDatabase(byName, count);
    }

    public int size() {
        return size;
    }

    private static Vulnerability parse(JsonNode v) {
        String id = v.path("id").asText(null);
        if (id == null) {
            return null;
        }
        List<Affected> affected = new ArrayList<>();
        for (JsonNode a : v.path("affected")) {
            List<String> versions = new ArrayList<>();
            a.path("versions").forEach(x -> versions.add(x.asText()));
            List<JsonNode> ranges = new ArrayList<>();
            a.path("ranges").forEach(ranges::add);
            affected.add(new Affected(a.path("package").path("ecosystem").asText(""),
                    a.path("package").path("name").asText(""), versions, ranges));
        }
        String severity = v.path("database_specific").path("severity").asText(null);
        if (severity == null && v.path("affected").size() > 0) {
            severity = v.path("affected").get(0).path("ecosystem_specific").path("severity").asText(null);
        }
        String uri = null;
        for (JsonNode ref : v.path("references")) {
            uri = ref.path("url").asText(null);
            if (uri != null) {
                break;
            }
        }
        String cve = id;
        for (JsonNode alias : v.path("aliases")) {
            if (alias.asText().startsWith("CVE-")) {
                cve = alias.asText();
                break;
            }
        }
        String summary = v.path("summary").asText(v.path("details").asText(""));
        return new Vulnerability(cve, summary, severity(severity), uri, affected);
    }

    static String severity(String text) {
        if (text == null) {
            return "UNDEFINED";
        }
        return switch (text.toUpperCase(Locale.ROOT)) {
            case "CRITICAL" -> "CRITICAL";
            case "HIGH", "IMPORTANT" -> "HIGH";
            case "MEDIUM", "MODERATE" -> "MEDIUM";
            case "LOW", "NEGLIGIBLE", "UNIMPORTANT" -> "LOW";
            case "INFORMATIONAL", "INFO" -> "INFORMATIONAL";
            default -> "UNDEFINED";
        };
    }

    /** The findings for the packages of an image of {@code ecosystem}, sorted by severity then name. */
    public List<Finding> match(Optional<String> ecosystem, List<InstalledPackage> packages) {
        Map<String, Finding> out = new LinkedHashMap<>();
        for (InstalledPackage p : packages) {
            for (String name : p.source().equals(p.name()) ? List.of(p.name()) : List.of(p.source(), p.name())) {
                for (Vulnerability v : byName.getOrDefault(name, List.of())) {
                    for (Affected a : v.affected()) {
                        if (a.name().equals(name) && ecosystemMatches(a.ecosystem(), ecosystem, p.manager())
                                && affected(a, p.version())) {
                            Map<String, String> attributes = new LinkedHashMap<>();
                            attributes.put("package_name", p.name());
                            attributes.put("package_version", p.version());
                            fixed(a).ifPresent(f -> attributes.put("fixed_version", f));
                            out.putIfAbsent(v.id() + "/" + p.name(), new Finding(v.id(), v.summary(), v.uri(),
                                    v.severity(), attributes));
                        }
                    }
                }
            }
        }
        List<Finding> findings = new ArrayList<>(out.values());
        List<String> order = List.of("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNDEFINED");
        findings.sort(java.util.Comparator.comparingInt((Finding f) -> order.indexOf(f.severity()))
                .thenComparing(Finding::name).thenComparing(f -> f.attributes().get("package_name")));
        return findings;
    }

    /**
     * Whether an advisory's ecosystem covers an image's. An image names its release after its
     * os-release ({@code Debian:12}, {@code Alpine:v3.19}, {@code Ubuntu:22.04}); an advisory without
     * a release ({@code Debian}) covers every release, and one for an unknown OS (no os-release) is
     * told by the package manager. Ubuntu's advisories name releases differently, see
     * {@link #imageRelease}.
     */
    static boolean ecosystemMatches(String entry, Optional<String> image, String manager) {
        String base = baseOf(entry);
        if (image.isEmpty()) {
            return manager.equals("dpkg") ? base.equals("Debian") || base.equals("Ubuntu") : base.equals("Alpine");
        }
        return imageRelease(entry).equals(image.get()) || entry.equals(baseOf(image.get()));
    }

    /**
     * An advisory's ecosystem as an image would name it. Ubuntu's advisories mark an LTS release
     * ({@code Ubuntu:22.04:LTS}) and put the fixes of Ubuntu Pro's Expanded Security Maintenance
     * under {@code Ubuntu:Pro:18.04:LTS}: both are the packages of the plain release
     * ({@code Ubuntu:22.04}, {@code Ubuntu:18.04}), the second fixed in a pocket the image may not
     * have. Pro's other streams ({@code Ubuntu:Pro:FIPS:20.04:LTS}, {@code FIPS-updates},
     * {@code FIPS-preview}, {@code Ubuntu:Pro:22.04:LTS:Realtime:Kernel}) are builds of their own
     * that a plain image does not install, and stay as they are, matching no image. Other
     * ecosystems already name releases as images do.
     */
    static String imageRelease(String entry) {
        if (!entry.startsWith("Ubuntu:")) {
            return entry;
        }
        List<String> parts = new ArrayList<>(List.of(entry.split(":", -1)));
        parts.removeFirst();
        if (parts.size() > 1 && parts.getFirst().equals("Pro")) {
            parts.removeFirst();
        }
        if (parts.size() == 2 && parts.getLast().equals("LTS")) {
            parts.removeLast();
        }
        return parts.size() == 1 && !parts.getFirst().isEmpty() ? "Ubuntu:" + parts.getFirst() : entry;
    }

    private static String baseOf(String ecosystem) {
        int colon = ecosystem.indexOf(':');
        return colon < 0 ? ecosystem : ecosystem.substring(0, colon);
    }

    /**
     * OSV's evaluation: listed versions, or inside an ECOSYSTEM range, in the ecosystem's version
     * order (apk's for Alpine, dpkg's otherwise).
     */
    static boolean affected(Affected a, String version) {
        if (a.versions().contains(version)) {
            return true;
        }
        java.util.Comparator<String> order = baseOf(a.ecosystem()).equals("Alpine") ? ApkVersion.ORDER
                : DebianVersion.ORDER;
        for (JsonNode range : a.ranges()) {
            if (!"ECOSYSTEM".equals(range.path("type").asText())) {
                continue;
            }
            boolean inside = false;
            for (JsonNode event : range.path("events")) {
                if (event.has("introduced")) {
                    String intro = event.get("introduced").asText();
                    if (intro.equals("0") || order.compare(version, intro) >= 0) {
                        inside = true;
                    }
                } else if (event.has("fixed")) {
                    if (order.compare(version, event.get("fixed").asText()) >= 0) {
                        inside = false;
                    }
                } else if (event.has("last_affected")) {
                    if (order.compare(version, event.get("last_affected").asText()) > 0) {
                        inside = false;
                    }
                }
            }
            if (inside) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> fixed(Affected a) {
        for (JsonNode range : a.ranges()) {
            for (JsonNode event : range.path("events")) {
                if (event.has("fixed")) {
                    return Optional.of(event.get("fixed").asText());
                }
            }
        }
        return Optional.empty();
    }
}
