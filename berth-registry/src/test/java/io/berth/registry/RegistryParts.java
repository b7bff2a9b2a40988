package io.berth.registry;

import io.berth.core.arn.Account;
import io.berth.core.store.StateStore;
import io.berth.registry.blob.BlobStore;
import io.berth.registry.blob.Digest;
import io.berth.registry.blob.InMemoryBlobStore;
import io.berth.registry.gc.GarbageCollector;
import io.berth.registry.image.Images;
import io.berth.registry.image.MediaTypes;
import io.berth.registry.layer.Layers;
import io.berth.registry.repository.Repositories;
import io.berth.registry.repository.Repository;
import io.berth.testkit.store.InMemoryStateStore;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/** The registry's domain services over in-memory fakes and a manual clock, for tests. */
public final class RegistryParts {
    public static final Duration GRACE = Duration.ofHours(1);

    public final ManualClock clock = new ManualClock();
    public final StateStore store;
    public final BlobStore blobs;
    public final Repositories repositories;
    public final Layers layers;
    public final Images images;
    public final GarbageCollector gc;

    public RegistryParts() {
        this(InMemoryBlobStore::new);
    }

    /** The parts over the blob store {@code blobStore} makes on the parts' clock. */
    public RegistryParts(Function<ManualClock, BlobStore> blobStore) {
        this(new InMemoryStateStore(), blobStore);
    }

    /** The parts over {@code store} and the blob store {@code blobStore} makes on the parts' clock. */
    public RegistryParts(StateStore store, Function<ManualClock, BlobStore> blobStore) {
        this.store = store;
        repositories = new Repositories(store, new Account("000000000000", "us-east-1"), "127.0.0.1:4566");
        blobs = blobStore.apply(clock);
        layers = new Layers(store, blobs, repositories, clock, GRACE);
        images = new Images(store, blobs, repositories, layers, clock);
        gc = new GarbageCollector(images, layers, blobs, clock, GRACE, Duration.ofHours(24));
    }

    public Repository repository(String name) {
        return repositories.create(Repository.create(name, clock.instant()));
    }

    public Digest blob(String repo, byte[] content) {
        Digest d = Digest.sha256(content);
        layers.put(repo, d, new ByteArrayInputStream(content));
        return d;
    }

    /** Pushes the blobs and an OCI manifest over them; returns the push. */
    public Images.Pushed image(String repo, String tag, byte[] config, byte[]... layerContents) {
        blob(repo, config);
        for (byte[] l : layerContents) {
            blob(repo, l);
        }
        String manifest = TestManifests.image(MediaTypes.OCI_MANIFEST, config, List.of(layerContents));
        return images.push(new Images.Push(repo, TestManifests.bytes(manifest), MediaTypes.OCI_MANIFEST, tag, null,
                false));
    }
}
