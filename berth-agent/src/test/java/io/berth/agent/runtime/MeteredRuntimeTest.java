package io.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.runtime.RuntimeFailure;
import io.berth.testkit.metrics.RecordingMetrics;
import io.berth.testkit.runtime.FakeContainerRuntime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MeteredRuntimeTest {
    private final FakeContainerRuntime fake = new FakeContainerRuntime();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final MeteredRuntime runtime = new MeteredRuntime(fake, metrics);

    @Test
    void passesEveryOperationOnIncludingThePortsDefaultOnes() throws Exception {
        for (java.lang.reflect.Method m : io.berth.core.runtime.ContainerRuntime.class.getMethods()) {
            if (java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            org.assertj.core.api.Assertions.assertThat(MeteredRuntime.class.getMethod(m.getName(),
                    m.getParameterTypes()).getDeclaringClass()).as(m.getName()).isEqualTo(MeteredRuntime.class);
        }
    }

    @Test
    void pullsAreTimedByOutcomeAndPassThrough() {
        fake.publishImage("app:1");
        fake.failPull("broken:1", "manifest unknown");

        assertThat(runtime.pull("app:1", null, Duration.ofSeconds(5))).isNotNull();
        assertThatThrownBy(() -> runtime.pull("broken:1", null, Duration.ofSeconds(5)))
                .isInstanceOf(RuntimeFailure.class);

        assertThat(fake.hasImage("app:1")).isTrue();
        assertThat(metrics.timer(RecordingMetrics.key("berth.agent.pulls", "outcome", "ok"))).hasSize(1);
        assertThat(metrics.timer(RecordingMetrics.key("berth.agent.pulls", "outcome", "image_pull"))).hasSize(1);
    }
}
