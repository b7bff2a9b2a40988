package io.berth.testkit.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestImagesTest {

    @Test
    void theArchiveIsADockerSaveOfTheThreeImagesSharingOneLayer() throws IOException {
        assumeTrue(Files.isRegularFile(TestImages.BUSYBOX_BINARY), "needs " + TestImages.BUSYBOX_BINARY);
        Map<String, byte[]> entries;
        try (InputStream in = TestImages.openArchive()) {
            entries = untar(in.readAllBytes());
        }
        String manifest = new String(entries.get("manifest.json"), StandardCharsets.UTF_8);
        for (String image : TestImages.ALL) {
            String id = TestImages.imageId(image);
            assertThat(manifest).contains("\"Config\":\"" + id.substring(7) + ".json\",\"RepoTags\":[\"" + image + "\"]");
            byte[] config = entries.get(id.substring(7) + ".json");
            assertThat("sha256:" + DockerArchive.sha256Hex(config)).isEqualTo(id);
        }
        List<String> layers = entries.keySet().stream().filter(n -> n.endsWith("/layer.tar")).toList();
        assertThat(layers).hasSize(1);
        byte[] layer = entries.get(layers.getFirst());
        assertThat(layers.getFirst()).startsWith(DockerArchive.sha256Hex(layer));
        Map<String, byte[]> files = untar(layer);
        assertThat(files).containsKeys("bin/busybox", "bin/sh", "bin/berth-exit", "www/index.html", "www/health",
                "etc/passwd", "tmp/");
        assertThat(new String(files.get("www/index.html"), StandardCharsets.UTF_8)).isEqualTo("berth ok\n");
    }

    @Test
    void theStaticBusyboxIsStatic() throws IOException {
        assumeTrue(Files.isRegularFile(TestImages.BUSYBOX_BINARY), "needs " + TestImages.BUSYBOX_BINARY);
        assertThat(TestImages.isDynamicElf(Files.readAllBytes(TestImages.BUSYBOX_BINARY))).isFalse();
    }

    @Test
    void aDynamicExecutableIsRecognised() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        assumeTrue(Files.isRegularFile(java));
        assertThat(TestImages.isDynamicElf(Files.readAllBytes(java))).isTrue();
    }

    @Test
    void theBuildIsDeterministic() {
        DockerArchive archive = new DockerArchive("amd64", "2024-01-01T00:00:00Z", 1_704_067_200L);
        DockerArchive.Layer layer = new DockerArchive.Layer(new TarWriter(1_704_067_200L)
                .directory("bin", 0755).file("bin/hello", 0755, "#!/bin/sh\necho hello\n").finish());
        DockerArchive.Image image = new DockerArchive.Image("x/hello:1", List.of(layer), null, List.of("hello"),
                List.of("PATH=/bin"), "/", List.of("80/tcp"), Map.of("b", "2", "a", "1"));
        assertThat(archive.write(List.of(image))).isEqualTo(archive.write(List.of(image)));
        assertThat(archive.imageId(image)).isEqualTo(archive.imageId(image)).startsWith("sha256:");
        assertThat(new String(archive.config(image), StandardCharsets.UTF_8))
                .contains("\"Labels\":{\"a\":\"1\",\"b\":\"2\"}")
                .contains("\"diff_ids\":[\"" + layer.diffId() + "\"]");
    }

    @Test
    void writesTheArchiveToADirectory(@TempDir Path dir) throws IOException {
        assumeTrue(Files.isRegularFile(TestImages.BUSYBOX_BINARY), "needs " + TestImages.BUSYBOX_BINARY);
        Path file = TestImages.writeArchive(dir.resolve("images"));
        assertThat(file).isEqualTo(dir.resolve("images").resolve(TestImages.ARCHIVE_NAME));
        try (InputStream in = TestImages.openArchive()) {
            assertThat(Files.readAllBytes(file)).isEqualTo(in.readAllBytes());
        }
    }

    /** Entries of a ustar archive, checking every header checksum; directories end with '/'. */
    private static Map<String, byte[]> untar(byte[] tar) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        int at = 0;
        while (at + 512 <= tar.length && tar[at] != 0) {
            long sum = 0;
            for (int i = 0; i < 512; i++) {
                sum += (i >= 148 && i < 156) ? ' ' : tar[at + i] & 0xff;
            }
            assertThat(octal(tar, at + 148, 8)).as("checksum").isEqualTo(sum);
            String name = text(tar, at, 100);
            int size = (int) octal(tar, at + 124, 12);
            byte[] content = new byte[size];
            System.arraycopy(tar, at + 512, content, 0, size);
            entries.put(name, content);
            at += 512 + (size + 511) / 512 * 512;
        }
        return entries;
    }

    private static String text(byte[] b, int offset, int length) {
        int end = offset;
        while (end < offset + length && b[end] != 0) {
            end++;
        }
        return new String(b, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int offset, int length) {
        return Long.parseLong(text(b, offset, length).strip(), 8);
    }
}
