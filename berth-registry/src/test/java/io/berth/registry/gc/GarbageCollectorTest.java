package io.berth.registry.gc;

import static io.berth.registry.TestManifests.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.registry.RegistryParts;
import io.berth.registry.TestManifests;
import io.berth.registry.blob.Digest;
import io.berth.registry.image.Images;
import io.berth.registry.image.MediaTypes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GarbageCollectorTest {
    private final RegistryParts r = new RegistryParts();

    @Test
    void blobsOfDeletedImagesGoOnceTheGracePeriodPassed() {
        r.repository("app");
        Images.Pushed kept = r.image("app", "keep", bytes("{\"keep\":1}"), bytes("kept layer"), bytes("shared"));
        Images.Pushed dropped = r.image("app", "drop", bytes("{\"drop\":1}"), bytes("dropped layer"), bytes("shared"));
        r.images.delete("app", dropped.image().digest());

        r.clock.advance(Duration.ofMinutes(10));
        GarbageCollector.Report early = r.gc.collect();
        assertThat(early.sweep().deleted()).isZero();

        r.clock.advance(Duration.ofHours(2));
        GarbageCollector.Report report = r.gc.collect();
        assertThat(report.linksDropped()).isEqualTo(2);
        assertThat(report.sweep().deleted()).isEqualTo(3); // its manifest, config and own layer
        assertThat(r.blobs.stat(dropped.image().digest())).isEmpty();
        assertThat(r.blobs.stat(Digest.sha256(bytes("dropped layer")))).isEmpty();
        for (Digest d : kept.image().blobs()) {
            assertThat(r.blobs.stat(d)).as(d.toString()).isPresent();
        }
        assertThat(r.blobs.stat(kept.image().digest())).isPresent();
        assertThat(r.images.manifest(r.images.resolve("app", "keep"))).isNotEmpty();
    }

    @Test
    void aBlobAPushIsAboutToReferenceSurvivesACollection() {
        r.repository("app");
        byte[] config = bytes("{\"late\":1}");
        byte[] layer = bytes("uploaded long ago, referenced now");
        r.blob("app", config);
        r.blob("app", layer);
        r.clock.advance(Duration.ofHours(5));

        // the push checks its layers (docker: HEAD each blob), which protects them
        assertThat(r.layers.find("app", Digest.sha256(layer))).isPresent();
        assertThat(r.layers.find("app", Digest.sha256(config))).isPresent();
        GarbageCollector.Report report = r.gc.collect();
        assertThat(report.sweep().deleted()).isZero();
        assertThat(report.linksDropped()).isZero();

        Images.Pushed pushed = r.images.push(new Images.Push("app", bytes(TestManifests.image(MediaTypes.OCI_MANIFEST,
                config, List.of(layer))), MediaTypes.OCI_MANIFEST, "late", null, false));
        assertThat(pushed.created()).isTrue();
        r.clock.advance(Duration.ofHours(5));
        r.gc.collect();
        assertThat(r.blobs.stat(Digest.sha256(layer))).isPresent();
    }

    @Test
    void unreferencedUploadsAndLinksExpire() {
        r.repository("app");
        Digest orphan = r.blob("app", bytes("never referenced"));
        var upload = r.layers.start("app");
        r.clock.advance(Duration.ofHours(25));
        GarbageCollector.Report report = r.gc.collect();
        assertThat(report.uploadsExpired()).isEqualTo(1);
        assertThat(r.blobs.upload(upload.id())).isEmpty();
        assertThat(r.blobs.stat(orphan)).isEmpty();
        assertThat(r.layers.find("app", orphan)).isEmpty();
    }
}
