package io.berth.registry.blob;

import io.berth.registry.ManualClock;
import java.nio.file.Path;

/** The contract on the file store with every upload written through the page cache. */
class BufferedFileBlobStoreTest extends BlobStoreContract {
    @Override
    protected BlobStore newStore(Path dir, ManualClock clock) {
        return FileBlobStore.open(dir, clock, false);
    }

    @Override
    protected boolean durable() {
        return true;
    }
}
