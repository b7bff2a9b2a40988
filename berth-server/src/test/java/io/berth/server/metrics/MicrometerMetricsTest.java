package io.berth.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MicrometerMetricsTest {

    @Test
    void rendersTimersAsHistogramsCountersWithTotalAndGaugesInThePrometheusTextFormat() {
        try (MicrometerMetrics metrics = new MicrometerMetrics()) {
            metrics.time("berth.store.commit", Duration.ofMillis(3), "outcome", "ok");
            metrics.time("berth.store.commit", Duration.ofMillis(40), "outcome", "ok");
            metrics.count("berth.registry.bytes", 1024, "direction", "in");
            metrics.count("berth.registry.bytes", 1024, "direction", "in");
            AtomicInteger polls = new AtomicInteger(3);
            metrics.gauge("berth.agent.channel.polls", polls::get);

            String text = metrics.scrape();

            assertThat(text).contains("# TYPE berth_store_commit_seconds histogram")
                    .contains("berth_store_commit_seconds_count{outcome=\"ok\"} 2")
                    .contains("berth_store_commit_seconds_bucket{outcome=\"ok\",le=\"0.005\"} 1")
                    .contains("berth_store_commit_seconds_bucket{outcome=\"ok\",le=\"0.05\"} 2")
                    .contains("berth_registry_bytes_total{direction=\"in\"} 2048")
                    .contains("berth_agent_channel_polls 3");
            polls.set(5);
            assertThat(metrics.scrape()).contains("berth_agent_channel_polls 5");
        }
    }

    @Test
    void aBadTagListIsDroppedNotThrown() {
        try (MicrometerMetrics metrics = new MicrometerMetrics()) {
            metrics.count("berth.odd", 1, "only-a-key");
            metrics.time("berth.odd", Duration.ofMillis(1), "k");
            assertThat(metrics.scrape()).doesNotContain("berth_odd");
        }
    }

    @Test
    void jvmMetersAreBound() {
        try (MicrometerMetrics metrics = MicrometerMetrics.withJvmMeters()) {
            assertThat(metrics.scrape()).contains("jvm_memory_used_bytes").contains("process_uptime_seconds");
        }
    }
}
