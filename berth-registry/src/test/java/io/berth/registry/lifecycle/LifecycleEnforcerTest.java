package io.berth.registry.lifecycle;

import static io.berth.registry.TestManifests.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.registry.RegistryParts;
import io.berth.registry.blob.Digest;
import io.berth.registry.image.ImageRecord;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LifecycleEnforcerTest {
    private final RegistryParts r = new RegistryParts();
    private final LifecycleEnforcer enforcer = new LifecycleEnforcer(r.repositories, r.images, r.store, r.clock);
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
