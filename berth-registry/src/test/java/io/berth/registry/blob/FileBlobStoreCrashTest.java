package io.berth.registry.blob;

import static io.berth.registry.blob.CrashingUploader.BEFORE;
import static io.berth.registry.blob.CrashingUploader.FAST;
import static io.berth.registry.blob.CrashingUploader.FIRST_CHUNK;
import static io.berth.registry.blob.CrashingUploader.PUT;
import static io.berth.registry.blob.CrashingUploader.SIZE;
import static io.berth.registry.blob.CrashingUploader.UPLOAD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.berth.registry.ChildJvm;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage spec's "{@code kill -9} mid-upload leaves nothing half-written visible", with a real
 * SIGKILL: a child JVM ({@link CrashingUploader}) is killed while a monolithic put and the second
 * chunk of an upload are half-way through; the store reopened on its directory shows neither blob,
 * holds no blob file whose bytes do not hash to its name, drops the put's leftovers and resumes the
 * upload from the bytes it had written.
 */
class FileBlobStoreCrashTest {
    @TempDir
    Path dir;

    @Test
    void killMinus9MidUploadLeavesNothingHalfWrittenVisible() throws Exception {
        Path root = dir.resolve("store");
        Path uploads = root.resolve("uploads");
        Digest putDigest = Digest.sha256(PUT);
        Digest uploadDigest = Digest.sha256(UPLOAD);
        try (ChildJvm child = ChildJvm.start(dir.resolve("child.log"), CrashingUploader.class, root.toString())) {
            await("both uploads half-written").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> {
                        assertThat(child.alive()).as("child alive; its output:%n%s", child.output()).isTrue();
                        assertThat(partSizes(uploads)).as("put parts").anyMatch(size -> size >= FAST);
                        assertThat(uploadSize(uploads)).as("upload data").isGreaterThanOrEqualTo(FIRST_CHUNK + FAST);
                    });
            child.kill9();
            assertThat(child.output()).doesNotContain("finished");
        }
        // what the crash left: a part file of the put and the upload's data, both short of the whole
        assertThat(partSizes(uploads)).singleElement().satisfies(size -> assertThat(size).isBetween(
                (long) FAST, SIZE - 1L));
        String uploadId = uploadIds(uploads).getFirst();

        try (FileBlobStore store = FileBlobStore.open(root, InstantSource.system())) {
            assertThat(partSizes(uploads)).as("leftovers of the put are removed at open").isEmpty();
            for (Digest half : List.of(putDigest, uploadDigest)) {
                assertThat(store.stat(half)).isEmpty();
                assertThatThrownBy(() -> store.open(half, 0, 0)).isInstanceOfSatisfying(BlobException.class,
                        e -> assertThat(e.reason()).isEqualTo(BlobException.Reason.BLOB_UNKNOWN));
                assertThatThrownBy(() -> store.map(half, 0, 0)).isInstanceOfSatisfying(BlobException.class,
                        e -> assertThat(e.reason()).isEqualTo(BlobException.Reason.BLOB_UNKNOWN));
            }
            assertThat(read(store, Digest.sha256(BEFORE))).isEqualTo(BEFORE);
            assertThat(blobFiles(root)).containsExactly(Digest.sha256(BEFORE));

            // the upload survives with what was written before the kill, a prefix of the content: it
            // resumes at that offset (BlobStore: "uploads of durable adapters ... continue where they stopped")
            Upload resumed = store.upload(uploadId).orElseThrow();
            assertThat(resumed.owner()).isEqualTo("crash/test");
            long offset = resumed.offset();
            assertThat(offset).isBetween((long) FIRST_CHUNK + FAST, SIZE - 1L);
            assertThatThrownBy(() -> store.append(uploadId, offset - 1, in(new byte[1])))
                    .isInstanceOfSatisfying(BlobException.class, e -> {
                        assertThat(e.reason()).isEqualTo(BlobException.Reason.OFFSET_MISMATCH);
                        assertThat(e.currentOffset()).isEqualTo(offset);
                    });
            store.append(uploadId, offset, in(Arrays.copyOfRange(UPLOAD, (int) offset, SIZE)));
            assertThat(store.complete(uploadId, uploadDigest).size()).isEqualTo(SIZE);

            // the put starts over, and lands whole
            assertThat(store.put(putDigest, in(PUT)).size()).isEqualTo(SIZE);
            assertThat(read(store, putDigest)).isEqualTo(PUT);
            assertThat(read(store, uploadDigest)).isEqualTo(UPLOAD);
            assertThat(blobFiles(root)).containsExactlyInAnyOrder(Digest.sha256(BEFORE), putDigest, uploadDigest);
            try (Stream<Path> left = Files.list(uploads)) {
                assertThat(left).isEmpty();
            }
        }
    }

    /** Sizes of the monolithic puts' part files. */
    private static List<Long> partSizes(Path uploads) throws IOException {
        if (!Files.isDirectory(uploads)) {
            return List.of(); // the child has not opened the store yet
        }
        try (Stream<Path> files = Files.list(uploads)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".part")).map(FileBlobStoreCrashTest::size)
                    .toList();
        }
    }

    private static List<String> uploadIds(Path uploads) throws IOException {
        if (!Files.isDirectory(uploads)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(uploads)) {
            return files.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
        }
    }

    private static long uploadSize(Path uploads) throws IOException {
        List<String> ids = uploadIds(uploads);
        return ids.isEmpty() ? 0 : size(uploads.resolve(ids.getFirst()).resolve("data"));
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // not there yet, or gone
        }
    }

    /** The digests of the files under blobs/, each checked to hold bytes hashing to its name. */
    private static List<Digest> blobFiles(Path root) throws IOException {
        Path blobs = root.resolve("blobs");
        try (Stream<Path> files = Files.walk(blobs)) {
            return files.filter(Files::isRegularFile).map(file -> {
                String algorithm = blobs.relativize(file).getName(0).toString();
                Digest named = Digest.parse(algorithm + ":" + file.getFileName());
                try {
                    assertThat(Digest.of(algorithm, Files.readAllBytes(file))).as(file.toString()).isEqualTo(named);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return named;
            }).toList();
        }
    }

    private static byte[] read(BlobStore store, Digest digest) throws IOException {
        long size = store.stat(digest).orElseThrow().size();
        try (InputStream in = store.open(digest, 0, size)) {
            return in.readAllBytes();
        }
    }

    private static InputStream in(byte[] content) {
        return new ByteArrayInputStream(content);
    }
}
