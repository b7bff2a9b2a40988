package io.berth.registry.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAppenderTest {
    private static final int CAPACITY = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void directWritesOfAnyLengthAndOffsetAddUpToTheBytesGiven() throws IOException {
        int block = FileAppender.directBlockSize(dir);
        assumeTrue(block > 0, "the temporary directory's file system refuses O_DIRECT");
        assertThat(appendInPieces(block)).isTrue();
    }

    @Test
    void bufferedWritesAddUpToTheBytesGiven() throws IOException {
        assertThat(appendInPieces(0)).isTrue();
    }

    @Test
    void theProbeLeavesNothingBehind() throws IOException {
        FileAppender.directBlockSize(dir);
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    /** Writes random pieces (empty, sub-block, block-straddling, whole buffers), reopening between some. */
    private boolean appendInPieces(int block) throws IOException {
        Random random = new Random(7);
        Path file = dir.resolve("data");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        boolean create = true;
        for (int round = 0; round < 12; round++) {
            try (FileAppender out = FileAppender.open(file, create, block, CAPACITY)) {
                create = false;
                for (int i = 0; i < 20; i++) {
                    int len = switch (random.nextInt(4)) {
                        case 0 -> random.nextInt(3);
                        case 1 -> 1 + random.nextInt(5000);
                        case 2 -> 4096 * (1 + random.nextInt(8)) + random.nextInt(2) * 17;
                        default -> CAPACITY;
                    };
                    byte[] bytes = new byte[len + 3];
                    random.nextBytes(bytes);
                    out.write(bytes, 3, len);
                    expected.write(bytes, 3, len);
                }
                out.force();
            }
            assertThat(Files.readAllBytes(file)).isEqualTo(expected.toByteArray());
        }
        return true;
    }
}
