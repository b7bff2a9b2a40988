package io.berth.registry.lifecycle;

import static io.berth.registry.TestManifests.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.registry.RegistryParts;
import io.berth.registry.TestManifests;
import io.berth.registry.blob.Digest;
import io.berth.registry.image.ImageRecord;
import io.berth.registry.image.Images;
import io.berth.registry.image.MediaTypes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LifecycleEnforcerTest {
    private final RegistryParts r = new RegistryParts();
    private final LifecycleEnforcer enforcer = new LifecycleEnforcer(r.repositories, r.images, r.store, r.clock);
    private static final String KEEP_ONE = "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\","
            + "\"countType\":\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}}]}";
    private static final String KEEP_TWO = "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\","
            + "\"countType\":\"imageCountMoreThan\",\"countNumber\":2},\"action\":{\"type\":\"expire\"}}]}";

    @Test
    void theEnforcerDeletesWhatThePolicyExpiresAndRecordsTheRun() {
        r.repository("app");
        r.repository("no-policy");
        Digest oldest = r.image("app", "v1", bytes("{\"v\":1}")).image().digest();
        r.clock.advance(Duration.ofMinutes(1));
        r.image("app", "v2", bytes("{\"v\":2}"));
        r.clock.advance(Duration.ofMinutes(1));
        r.image("app", "v3", bytes("{\"v\":3}"));
        r.image("no-policy", "v1", bytes("{\"v\":1}"));
        r.image("no-policy", "v2", bytes("{\"v\":2}"));
        r.image("no-policy", "v3", bytes("{\"v\":3}"));
        r.repositories.update("app", repo -> repo.withLifecyclePolicy(KEEP_TWO, r.clock.instant()));

        LifecycleEnforcer.Report report = enforcer.run();
        assertThat(report).isEqualTo(new LifecycleEnforcer.Report(1, 1));
        assertThat(r.images.find("app", oldest)).isEmpty();
        assertThat(r.images.tag("app", "v1")).isEmpty();
        assertThat(r.images.count("app")).isEqualTo(2);
        assertThat(r.images.count("no-policy")).isEqualTo(3);
        assertThat(enforcer.lastEvaluatedAt("app")).contains(r.clock.instant());
        assertThat(enforcer.run().expired()).isZero();
    }

    @Test
    void enforcementDeletesExactlyWhatThePreviewShows() {
        r.repository("app");
        ImageRecord amd64 = r.image("app", null, bytes("{\"arch\":\"amd64\"}")).image();
        ImageRecord arm64 = r.image("app", null, bytes("{\"arch\":\"arm64\"}")).image();
        r.clock.advance(Duration.ofMinutes(1));
        String index = TestManifests.index(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, List.of(
                new Object[] {amd64.digest(), amd64.manifestSize(), "amd64"},
                new Object[] {arm64.digest(), arm64.manifestSize(), "arm64"}));
        r.images.push(new Images.Push("app", bytes(index), MediaTypes.OCI_INDEX, "multi", null, false));
        for (int i = 1; i <= 3; i++) {
            r.clock.advance(Duration.ofMinutes(1));
            r.image("app", i == 2 ? null : "v" + i, bytes("{\"v\":" + i + "}"));
        }
        r.repositories.update("app", repo -> repo.withLifecyclePolicy(KEEP_ONE, r.clock.instant()));
        LifecyclePreviews previews = new LifecyclePreviews(r.store, r.images, r.clock);

        // first the index and the older plain images; the index's images only once it is gone
        List<Integer> rounds = new ArrayList<>();
        while (true) {
            Set<Digest> previewed = previews.start("app", KEEP_ONE).results().stream()
                    .map(LifecyclePreviews.Result::digest).collect(Collectors.toSet());
            Set<Digest> before = digests();
            int expired = enforcer.enforce(r.repositories.require("app"));
            Set<Digest> deleted = new HashSet<>(before);
            deleted.removeAll(digests());
            assertThat(deleted).isEqualTo(previewed).hasSize(expired);
            if (expired == 0) {
                break;
            }
            rounds.add(expired);
        }
        assertThat(rounds).containsExactly(3, 2);
        assertThat(r.images.all("app")).extracting(ImageRecord::tags).containsExactly(List.of("v3"));
    }

    private Set<Digest> digests() {
        return r.images.all("app").stream().map(ImageRecord::digest).collect(Collectors.toSet());
    }

    @Test
    void anImageThatChangedSinceTheEvaluationIsKept() {
        r.repository("app");
        ImageRecord old = r.image("app", "v1", bytes("{\"v\":1}")).image();
        r.clock.advance(Duration.ofMinutes(1));
        r.image("app", "v2", bytes("{\"v\":2}"));
        r.image("app", "other", bytes("{\"v\":2}"));
        // a tag arrived after the evaluation saw the image: the stale view must not delete it
        ImageRecord stale = old.withoutTag("v1");
        assertThat(r.images.deleteIfUnchanged(stale)).isFalse();
        assertThat(r.images.find("app", old.digest())).isPresent();
        assertThat(r.images.deleteIfUnchanged(old)).isTrue();
    }
}
