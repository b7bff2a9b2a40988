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

/** The registry's domain services over in-memory fakes and a manual clock, for tests. */
public final class RegistryParts {
    public static final Duration GRACE = Duration.ofHours(1);

    public final ManualClock clock = new ManualClock();
    public final StateStore store = new InMemoryStateStore();
    public final BlobStore blobs = new InMemoryBlobStore(clock);
    public final Repositories repositories = new Repositories(store, new Account("000000000000", "us-east-1"),
            "127.0.0.1:4566");
    public final Layers layers = new Layers(store, blobs, repositories, clock, GRACE);
    public final Images images = new Images(store, blobs, repositories, layers, clock);
    public final GarbageCollector gc = new GarbageCollector(images, layers, blobs, clock, GRACE, Duration.ofHours(24));

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
