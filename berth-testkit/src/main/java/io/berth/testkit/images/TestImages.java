package io.berth.testkit.images;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Container images for tests, built here from the host's static busybox, without a registry or
 * the network. One {@code docker save} archive holds all three; {@code docker load} it (or
 * {@code ContainerRuntime.load}) before use:
 *
 * <ul>
 *   <li>{@link #BUSYBOX}: a shell and the usual tools; CMD {@code sleep 3600}.
 *   <li>{@link #HTTPD}: {@code httpd -f -p 8080 -h /www}; {@code /} answers {@value #HTTPD_INDEX_TEXT},
 *       {@code /health} answers {@code ok}; exposes 8080/tcp.
 *   <li>{@link #EXIT}: ENTRYPOINT {@code berth-exit [CODE [DELAY]]}: prints one line, sleeps DELAY
 *       seconds, exits with CODE (defaults: {@code $EXIT_CODE}, {@code $EXIT_DELAY}, else 0).
 * </ul>
 *
 * <p>The three share one layer: {@code /bin/busybox} (from Debian's busybox-static) with its applets
 * as symlinks ({@code sh}, {@code sleep}, {@code wget}, {@code nc}, ...), {@code /bin/berth-exit},
 * {@code /www}, {@code /etc/passwd} (root, nobody 65534) and {@code /tmp}. Timestamps are fixed, so
 * the image IDs depend only on the busybox binary.
 *
 * <p>From a shell: {@code java -cp berth-testkit/target/classes io.berth.testkit.images.TestImages DIR}
 * writes {@code DIR/berth-test-images.tar}; then {@code docker load -i DIR/berth-test-images.tar}.
 *
 * <p>Thread-safe; the archive is built once per JVM.
 */
public final class TestImages {
    public static final String BUSYBOX = "berth-test/busybox:1";
    public static final String HTTPD = "berth-test/httpd:1";
    public static final String EXIT = "berth-test/exit:1";
    public static final List<String> ALL = List.of(BUSYBOX, HTTPD, EXIT);

    /** The port {@link #HTTPD} listens on. */
    public static final int HTTPD_PORT = 8080;
    /** The body of {@code GET /} on {@link #HTTPD}, without its trailing newline. */
    public static final String HTTPD_INDEX_TEXT = "berth ok";
    /** A path on {@link #HTTPD} for health checks; answers {@code ok}. */
    public static final String HTTPD_HEALTH_PATH = "/health";
    /** The file name {@link #writeArchive(Path)} writes. */
    public static final String ARCHIVE_NAME = "berth-test-images.tar";
    /** The label every test image carries (value "true"). */
    public static final String IMAGE_LABEL = "io.berth.test-image";

    static final Path BUSYBOX_BINARY = Path.of("/bin/busybox");

    private static final String CREATED = "2024-01-01T00:00:00Z";
    private static final long MTIME = 1_704_067_200L; // CREATED, in seconds
    private static final List<String> ENV = List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    private static final List<String> APPLETS = List.of("[", "[[", "ash", "awk", "base64", "basename", "cat", "chmod",
            "cp", "cut", "date", "dd", "df", "dirname", "du", "echo", "env", "expr", "false", "find", "free", "grep",
            "head", "hostname", "httpd", "id", "ip", "kill", "killall", "ln", "ls", "md5sum", "mkdir", "mv", "nc",
            "netstat", "nproc", "nslookup", "pidof", "ping", "printf", "ps", "pwd", "readlink", "rm", "sed", "seq",
            "sh", "sha256sum", "sleep", "sort", "stat", "tail", "tee", "test", "timeout", "top", "touch", "tr", "true",
            "uname", "uniq", "usleep", "vi", "wc", "wget", "which", "whoami", "xargs", "yes");
    private static final String EXIT_SCRIPT = """
            #!/bin/sh
            # berth-exit [CODE [DELAY]]: print a line, sleep DELAY seconds, exit with CODE.
            # Defaults: $EXIT_CODE and $EXIT_DELAY, else 0.
            code=${1:-${EXIT_CODE:-0}}
            delay=${2:-${EXIT_DELAY:-0}}
            if [ "$delay" != 0 ]; then sleep "$delay"; fi
            echo "berth-exit: exiting with $code"
            exit "$code"
            """;

    private static Built built;

    private record Built(byte[] archive, Map<String, String> ids) {
    }

    private TestImages() {
    }

    /** A fresh stream over the archive of all three images. */
    public static InputStream openArchive() {
        return new ByteArrayInputStream(build().archive());
    }

    /** Writes the archive to {@code dir}/{@value #ARCHIVE_NAME} (creating {@code dir}) and returns its path. */
    public static Path writeArchive(Path dir) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(ARCHIVE_NAME);
            Files.write(file, build().archive());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The image ID ({@code sha256:...}) that {@code docker load} gives {@code reference}, one of {@link #ALL}. */
    public static String imageId(String reference) {
        String id = build().ids().get(reference);
        if (id == null) {
            throw new IllegalArgumentException("not a test image: " + reference + " (one of " + ALL + ")");
        }
        return id;
    }

    /** {@code TestImages [DIR]}: writes DIR/{@value #ARCHIVE_NAME} (DIR defaults to .), prints its path and the IDs. */
    public static void main(String[] args) {
        Path file = writeArchive(Path.of(args.length > 0 ? args[0] : "."));
        System.out.println(file.toAbsolutePath());
        ALL.forEach(ref -> System.out.println(ref + " " + imageId(ref)));
    }

    private static synchronized Built build() {
        if (built == null) {
            DockerArchive archive = new DockerArchive(architecture(), CREATED, MTIME);
            List<DockerArchive.Image> images = images(new DockerArchive.Layer(layer(busybox())));
            Map<String, String> ids = new LinkedHashMap<>();
            images.forEach(image -> ids.put(image.reference(), archive.imageId(image)));
            built = new Built(archive.write(images), Map.copyOf(ids));
        }
        return built;
    }

    private static List<DockerArchive.Image> images(DockerArchive.Layer layer) {
        Map<String, String> labels = Map.of(IMAGE_LABEL, "true");
        return List.of(
                new DockerArchive.Image(BUSYBOX, List.of(layer), null, List.of("sleep", "3600"), ENV, "/", List.of(),
                        labels),
                new DockerArchive.Image(HTTPD, List.of(layer), null,
                        List.of("httpd", "-f", "-p", String.valueOf(HTTPD_PORT), "-h", "/www"), ENV, "/",
                        List.of(HTTPD_PORT + "/tcp"), labels),
                new DockerArchive.Image(EXIT, List.of(layer), List.of("/bin/berth-exit"), null, ENV, "/", List.of(),
                        labels));
    }

    private static byte[] layer(byte[] busybox) {
        TarWriter tar = new TarWriter(MTIME);
        tar.directory("bin", 0755);
        tar.file("bin/busybox", 0755, busybox);
        APPLETS.forEach(applet -> tar.symlink("bin/" + applet, "busybox"));
        tar.file("bin/berth-exit", 0755, EXIT_SCRIPT);
        tar.directory("etc", 0755);
        tar.file("etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        tar.file("etc/group", 0644, "root:x:0:\nnogroup:x:65534:\n");
        tar.directory("root", 0700);
        tar.directory("tmp", 01777);
        tar.directory("www", 0755);
        tar.file("www/index.html", 0644, HTTPD_INDEX_TEXT + "\n");
        tar.file("www/health", 0644, "ok\n");
        return tar.finish();
    }

    private static byte[] busybox() {
        if (!Files.isRegularFile(BUSYBOX_BINARY)) {
            throw new IllegalStateException(BUSYBOX_BINARY + " is missing: the test images are built from a static "
                    + "busybox (Debian/Ubuntu: apt-get install busybox-static)");
        }
        try {
            byte[] bytes = Files.readAllBytes(BUSYBOX_BINARY);
            if (isDynamicElf(bytes)) {
                throw new IllegalStateException(BUSYBOX_BINARY + " is dynamically linked and cannot run in an image "
                        + "without libraries: install the static one (apt-get install busybox-static)");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + BUSYBOX_BINARY, e);
        }
    }

    /** True for a 64-bit little-endian ELF with a program interpreter (PT_INTERP), i.e. not static. */
    static boolean isDynamicElf(byte[] elf) {
        if (elf.length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F' || elf[4] != 2
                || elf[5] != 1) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        long phoff = b.getLong(0x20);
        int phentsize = Short.toUnsignedInt(b.getShort(0x36));
        int phnum = Short.toUnsignedInt(b.getShort(0x38));
        for (int i = 0; i < phnum; i++) {
            long at = phoff + (long) i * phentsize;
            if (at + 4 > elf.length) {
                return false;
            }
            if (b.getInt((int) at) == 3) { // PT_INTERP
                return true;
            }
        }
        return false;
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }
}
