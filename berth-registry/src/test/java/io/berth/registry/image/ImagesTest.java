package io.berth.registry.image;

import static io.berth.registry.TestManifests.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.registry.RegistryParts;
import io.berth.registry.TestManifests;
import io.berth.registry.blob.Digest;
import io.berth.registry.error.RegistryError;
import io.berth.registry.error.RegistryException;
import io.berth.registry.repository.TagMutability;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ImagesTest {
    private final RegistryParts r = new RegistryParts();

    @Test
    void aPushNeedsTheRepository() {
        assertThatThrownBy(() -> r.images.push(new Images.Push("absent", bytes("{}"), null, null, null, false)))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.error()).isEqualTo(RegistryError.REPOSITORY_NOT_FOUND));
    }

    @Test
    void movingATagUntagsTheImageItLeaves() {
        r.repository("app");
        Digest first = r.image("app", "latest", bytes("{\"n\":1}")).image().digest();
        Digest second = r.image("app", "latest", bytes("{\"n\":2}")).image().digest();
        assertThat(r.images.tag("app", "latest")).contains(second);
        assertThat(r.images.find("app", first).orElseThrow().tags()).isEmpty();
        assertThat(r.images.find("app", second).orElseThrow().tags()).containsExactly("latest");
    }

    @Test
    void repushingAnImageIsIdempotentForOciAndRefusedForPutImage() {
        r.repository("app");
        Images.Pushed first = r.image("app", "v1", bytes("{}"));
        assertThat(first.created()).isTrue();
        byte[] manifest = r.images.manifest(first.image());
        Images.Pushed again = r.images.push(new Images.Push("app", manifest, null, "v1", null, false));
        assertThat(again.created()).isFalse();
        assertThat(again.image()).isEqualTo(first.image());
        assertThatThrownBy(() -> r.images.push(new Images.Push("app", manifest, null, "v1", null, true)))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.error()).isEqualTo(RegistryError.IMAGE_ALREADY_EXISTS));
        assertThat(r.images.push(new Images.Push("app", manifest, null, "v2", null, true)).image().tags())
                .containsExactly("v1", "v2");
    }

    @Test
    void immutableTagsStayWhereTheyAre() {
        r.repository("app");
        r.repositories.update("app", repo -> repo.withTagMutability(TagMutability.IMMUTABLE, List.of()));
        Digest first = r.image("app", "v1", bytes("{\"n\":1}")).image().digest();
        assertThatThrownBy(() -> r.image("app", "v1", bytes("{\"n\":2}")))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.error()).isEqualTo(RegistryError.IMAGE_TAG_ALREADY_EXISTS));
        assertThat(r.images.tag("app", "v1")).contains(first);
    }

    @Test
    void deletingAnImageDropsItsTagsAndReferrerEntries() {
        r.repository("app");
        Images.Pushed subject = r.image("app", "v1", bytes("{}"));
        r.blob("app", TestManifests.EMPTY_CONFIG);
        String artifact = TestManifests.artifact("application/x.sig", subject.image().digest().toString(),
                subject.image().manifestSize(), "a");
        Images.Pushed sig = r.images.push(new Images.Push("app", bytes(artifact), MediaTypes.OCI_MANIFEST, "sig",
                null, false));
        assertThat(r.images.referrers("app", subject.image().digest())).extracting(ImageRecord::digest)
                .containsExactly(sig.image().digest());
        r.images.delete("app", sig.image().digest());
        assertThat(r.images.referrers("app", subject.image().digest())).isEmpty();
        assertThat(r.images.tag("app", "sig")).isEmpty();
    }

    @Test
    void concurrentPushesOfOneTagLeaveItOnExactlyOneImage() throws Exception {
        r.repository("race");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Digest>> pushes = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                int n = i;
                pushes.add(pool.submit(() -> r.image("race", "latest", bytes("{\"n\":" + n + "}")).image().digest()));
            }
            for (Future<Digest> f : pushes) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Digest tagged = r.images.tag("race", "latest").orElseThrow();
        List<ImageRecord> all = r.images.all("race");
        assertThat(all).hasSize(32);
        assertThat(all.stream().filter(i -> i.tags().contains("latest"))).singleElement()
                .satisfies(i -> assertThat(i.digest()).isEqualTo(tagged));
    }

    @Test
    void purgingARepositoryRemovesEverythingOfIt() {
        r.repository("gone");
        r.repository("gone-not");
        r.image("gone", "v1", bytes("{}"));
        r.image("gone-not", "v1", bytes("{}"));
        r.images.purge("gone");
        assertThat(r.images.count("gone")).isZero();
        assertThat(r.images.tags("gone", null, 10)).isEmpty();
        assertThat(r.images.count("gone-not")).isEqualTo(1);
    }
}
