package io.berth.registry.blob;

import io.berth.registry.ManualClock;
import java.nio.file.Path;

class InMemoryBlobStoreTest extends BlobStoreContract {
    @Override
    protected BlobStore newStore(Path dir, ManualClock clock) {
        return new InMemoryBlobStore(clock);
    }
}
