package io.berth.testkit.images;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Writes images as a {@code docker save} archive, the format {@code docker load} reads (Docker
 * Engine 20.10 does not load OCI layouts):
 *
 * <pre>
 * manifest.json             [{"Config": "&lt;id&gt;.json", "RepoTags": ["name:tag"], "Layers": ["&lt;diff&gt;/layer.tar"]}, ...]
 * &lt;id&gt;.json                 the image config; id = sha256 of these bytes = the image ID
 * &lt;diff&gt;/layer.tar          an uncompressed layer; diff = sha256 of the tar (the config's diff_ids)
 * </pre>
 *
 * Layers shared by several images are stored once. Everything is deterministic: same inputs, same
 * bytes, same image IDs.
 */
final class DockerArchive {

    /** An uncompressed layer tar. */
    record Layer(byte[] tar) {
        Layer {
            tar = tar.clone();
        }

        String diffId() {
            return "sha256:" + sha256Hex(tar);
        }
    }

    /**
     * An image: its tag, layers (bottom first) and the container config of its image config.
     * Null {@code entrypoint}/{@code cmd} are left out of the config.
     */
    record Image(String reference, List<Layer> layers, List<String> entrypoint, List<String> cmd, List<String> env,
                 String workingDir, List<String> exposedPorts, Map<String, String> labels) {
        Image {
            Objects.requireNonNull(reference);
            layers = List.copyOf(layers);
            entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
            cmd = cmd == null ? null : List.copyOf(cmd);
            env = List.copyOf(env);
            exposedPorts = List.copyOf(exposedPorts);
            labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        }
    }

    private final String architecture;
    private final String created;
    private final long mtimeSeconds;

    /**
     * @param architecture the images' architecture, as in OCI (amd64, arm64)
     * @param created the images' creation time, RFC 3339
     * @param mtimeSeconds the modification time of every entry in the archive
     */
    DockerArchive(String architecture, String created, long mtimeSeconds) {
        this.architecture = architecture;
        this.created = created;
        this.mtimeSeconds = mtimeSeconds;
    }

    /** The image config JSON of {@code image}; its sha256 is the image ID. */
    byte[] config(Image image) {
        Map<String, Object> container = new LinkedHashMap<>();
        if (image.cmd() != null) {
            container.put("Cmd", image.cmd());
        }
        if (image.entrypoint() != null) {
            container.put("Entrypoint", image.entrypoint());
        }
        container.put("Env", image.env());
        if (!image.exposedPorts().isEmpty()) {
            Map<String, Object> ports = new TreeMap<>();
            image.exposedPorts().forEach(p -> ports.put(p, Map.of()));
            container.put("ExposedPorts", ports);
        }
        container.put("Labels", image.labels());
        container.put("WorkingDir", image.workingDir());

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", architecture);
        config.put("config", container);
        config.put("created", created);
        config.put("history", image.layers().stream()
                .map(l -> ordered("created", created, "created_by", TestImages.class.getName()))
                .toList());
        config.put("os", "linux");
        config.put("rootfs", ordered("type", "layers", "diff_ids", image.layers().stream().map(Layer::diffId).toList()));
        return Json.write(config).getBytes(StandardCharsets.UTF_8);
    }

    /** The image ID {@code docker load} gives {@code image}. */
    String imageId(Image image) {
        return "sha256:" + sha256Hex(config(image));
    }

    /** The archive holding {@code images}, with their tags. */
    byte[] write(List<Image> images) {
        TarWriter tar = new TarWriter(mtimeSeconds);
        Map<String, Layer> layers = new LinkedHashMap<>();
        images.forEach(image -> image.layers().forEach(l -> layers.putIfAbsent(l.diffId(), l)));
        layers.forEach((diffId, layer) -> {
            String dir = hex(diffId);
            tar.directory(dir, 0755);
            tar.file(dir + "/VERSION", 0644, "1.0");
            tar.file(dir + "/layer.tar", 0644, layer.tar());
        });
        List<Object> manifest = new ArrayList<>();
        for (Image image : images) {
            byte[] config = config(image);
            String configName = sha256Hex(config) + ".json";
            tar.file(configName, 0644, config);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("Config", configName);
            entry.put("RepoTags", List.of(image.reference()));
            entry.put("Layers", image.layers().stream().map(l -> hex(l.diffId()) + "/layer.tar").toList());
            manifest.add(entry);
        }
        tar.file("manifest.json", 0644, Json.write(manifest));
        return tar.finish();
    }

    /** A JSON object with its keys in the order given (Map.of has no stable order). */
    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }

    private static String hex(String digest) {
        return digest.substring(digest.indexOf(':') + 1);
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Just enough JSON: maps (in their own order), lists, strings, numbers, booleans. */
    static final class Json {
        private Json() {
        }

        static String write(Object value) {
            StringBuilder out = new StringBuilder();
            write(out, value);
            return out.toString();
        }

        private static void write(StringBuilder out, Object value) {
            switch (value) {
                case null -> out.append("null");
                case String s -> string(out, s);
                case Number n -> out.append(n);
                case Boolean b -> out.append(b);
                case Map<?, ?> m -> {
                    out.append('{');
                    String sep = "";
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        out.append(sep);
                        string(out, e.getKey().toString());
                        out.append(':');
                        write(out, e.getValue());
                        sep = ",";
                    }
                    out.append('}');
                }
                case List<?> l -> {
                    out.append('[');
                    String sep = "";
                    for (Object item : l) {
                        out.append(sep);
                        write(out, item);
                        sep = ",";
                    }
                    out.append(']');
                }
                default -> throw new IllegalArgumentException("not JSON: " + value.getClass());
            }
        }

        private static void string(StringBuilder out, String s) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\t' -> out.append("\\t");
                    case '\r' -> out.append("\\r");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
    }
}
