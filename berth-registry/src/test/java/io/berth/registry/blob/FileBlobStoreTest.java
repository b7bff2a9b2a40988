package io.berth.registry.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.registry.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FileBlobStoreTest extends BlobStoreContract {
    @Override
    protected BlobStore newStore(Path dir, ManualClock clock) {
        return FileBlobStore.open(dir, clock);
    }

    @Override
    protected boolean durable() {
        return true;
    }

    @Test
    void blobsLiveAtTheirDigestPathAndUploadsOutsideIt() throws IOException {
        Digest d = put("layout");
        assertThat(dir.resolve("blobs/sha256").resolve(d.hex().substring(0, 2)).resolve(d.hex())).exists();
        Upload u = store.startUpload("r");
        store.append(u.id(), 0, in(bytes("partial")));
        assertThat(dir.resolve("uploads").resolve(u.id()).resolve("data")).hasContent("partial");
        assertThat(blobFiles()).isEqualTo(1);
    }

    @Test
    void failedPutsLeaveNoFilesBehind() throws IOException {
        byte[] content = random(50_000, 9);
        assertThatThrownBy(() -> store.put(Digest.sha256(bytes("x")), in(content))).isInstanceOf(BlobException.class);
        assertThatThrownBy(() -> store.put(Digest.sha256(content), failingAfter(content, 100)))
                .isInstanceOf(RuntimeException.class);
        try (Stream<Path> files = Files.list(dir.resolve("uploads"))) {
            assertThat(files).isEmpty();
        }
        assertThat(blobFiles()).isZero();
    }

    @Test
    void leftoversOfInterruptedPutsAreRemovedAtOpen() throws IOException {
        Files.writeString(dir.resolve("uploads/put-0b7b6d0e-6f0a-4a39-9a9e-3f2d5c1e8a77.part"), "half a blob");
        reopen();
        try (Stream<Path> files = Files.list(dir.resolve("uploads"))) {
            assertThat(files).isEmpty();
        }
    }

    private long blobFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("blobs"))) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
