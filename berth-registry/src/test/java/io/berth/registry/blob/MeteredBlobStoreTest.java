package io.berth.registry.blob;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.registry.ManualClock;
import io.berth.testkit.metrics.RecordingMetrics;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The blob store contract holds through the decorator, and it counts the bytes in and out. */
class MeteredBlobStoreTest extends BlobStoreContract {
    private final RecordingMetrics metrics = new RecordingMetrics();

    @Override
    protected BlobStore newStore(Path dir, ManualClock clock) {
        return new MeteredBlobStore(FileBlobStore.open(dir, clock), metrics);
    }

    @Override
    protected boolean durable() {
        return true;
    }

    @Test
    void countsBytesWrittenByPutsAndUploadsAndBytesRead() throws IOException {
        byte[] a = random(10_000, 1);
        store.put(Digest.sha256(a), in(a));
        Upload u = store.startUpload("r");
        store.append(u.id(), 0, in(bytes("12345")));
        read(Digest.sha256(a));

        assertThat(metrics.counter(RecordingMetrics.key("berth.registry.bytes", "direction", "in")))
                .isEqualTo(10_005);
        assertThat(metrics.counter(RecordingMetrics.key("berth.registry.bytes", "direction", "out")))
                .isEqualTo(10_000);
    }
}
