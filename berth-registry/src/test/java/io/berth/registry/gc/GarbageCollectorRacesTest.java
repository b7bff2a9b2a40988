package io.berth.registry.gc;

import static io.berth.registry.TestManifests.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.registry.RegistryParts;
import io.berth.registry.TestManifests;
import io.berth.registry.blob.Digest;
import io.berth.registry.blob.InMemoryBlobStore;
import io.berth.registry.error.RegistryError;
import io.berth.registry.error.RegistryException;
import io.berth.registry.image.Images;
import io.berth.registry.image.MediaTypes;
import io.berth.registry.layer.Layers;
import io.berth.testkit.store.InMemoryStateStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A collection run at exact points inside a push (on the push's thread, through
 * {@link HookedStateStore}), at the worst moments the design allows: the push is either refused
 * (LAYERS_NOT_FOUND, OCI MANIFEST_BLOB_UNKNOWN) or lands with every blob it references present and
 * linked to its repository, so that it pulls.
 */
class GarbageCollectorRacesTest {
    private static final Duration GRACE = RegistryParts.GRACE;

    private final HookedStateStore store = new HookedStateStore(new InMemoryStateStore());
    private final RegistryParts r = new RegistryParts(store, InMemoryBlobStore::new);
    private final byte[] config = bytes("{\"raced\":1}");
    private final byte[] layer = bytes("a layer of a deleted image, pushed again");

    @Test
    void aCollectionBetweenALinkCheckAndItsRefreshDoesNotUnlinkWhatThePushReferences() {
        // an image's blobs, unused since it was deleted long ago: their links are due to go
        deletedImageLongAgo(Duration.ofHours(5));
        // the push checks the config (refreshing its link), then the layer: it reads the layer's
        // old link and touches the blob; the collection runs before the link's refresh commits
        store.beforeCommitOf(put -> put.kind().equals(Layers.KIND)
                && put.key().equals(Layers.key("app", Digest.sha256(layer))), r.gc::collect);

        assertRefusedOrPullable(push());
    }

    @Test
    void aCollectionLateInAPushWithinTheGracePeriodDoesNotUnlinkWhatThePushReferences() {
        // links last refreshed less than a quarter grace ago are not refreshed by the push's check
        deletedImageLongAgo(GRACE.dividedBy(5));
        // the push commits 0.9 grace after its check (within the grace period, as the design asks);
        // a collection runs just before: the links' refresh time is more than a grace period old
        store.beforeCommitOf(put -> put.kind().equals(Images.KIND), () -> {
            r.clock.advance(GRACE.multipliedBy(9).dividedBy(10));
            r.gc.collect();
        });

        assertRefusedOrPullable(push());
    }

    private void deletedImageLongAgo(Duration ago) {
        r.repository("app");
        Images.Pushed old = r.image("app", "old", config, layer);
        r.images.delete("app", old.image().digest());
        r.clock.advance(ago);
    }

    private RegistryException push() {
        try {
            r.images.push(new Images.Push("app", bytes(TestManifests.image(MediaTypes.OCI_MANIFEST, config,
                    List.of(layer))), MediaTypes.OCI_MANIFEST, "again", null, false));
            return null;
        } catch (RegistryException e) {
            return e;
        }
    }

    private void assertRefusedOrPullable(RegistryException refused) {
        if (refused != null) {
            assertThat(refused.error()).isEqualTo(RegistryError.LAYERS_NOT_FOUND);
            assertThat(r.images.tag("app", "again")).isEmpty();
            return;
        }
        Digest manifest = r.images.tag("app", "again").orElseThrow();
        assertThat(r.blobs.stat(manifest)).isPresent();
        for (byte[] blob : List.of(config, layer)) {
            Digest d = Digest.sha256(blob);
            assertThat(r.blobs.stat(d)).as("blob %s", d).isPresent();
            assertThat(r.store.get(Layers.KIND, Layers.key("app", d))).as("link of %s", d).isPresent();
            assertThat(r.layers.find("app", d)).as("pull of %s", d).isPresent();
        }
        // and it stays so through later collections
        r.clock.advance(GRACE.multipliedBy(3));
        r.gc.collect();
        for (byte[] blob : List.of(config, layer)) {
            assertThat(r.layers.find("app", Digest.sha256(blob))).isPresent();
        }
    }
}
