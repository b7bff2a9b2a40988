package io.berth.cloudwatch.metric;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.monitoring.MetricDatum;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MetricStoreTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-25T03:00:00Z"));
    private final InstantSource clock = () -> now.get();
    private final MetricId cpu = new MetricId("AWS/ECS", "CPUUtilization", Map.of("ClusterName", "prod"));

    @Test
    void pointsOfOneTimestampMergeAndDimensionsIdentifyAMetricExactly() {
        MetricStore store = MetricStore.withDefaults(clock);
        Instant t = now.get();
        store.put("AWS/ECS", List.of(MetricDatum.of("CPUUtilization", Map.of("ClusterName", "prod"), t, 10, "Percent"),
                MetricDatum.of("CPUUtilization", Map.of("ClusterName", "prod"), t, 30, "Percent"),
                MetricDatum.of("CPUUtilization", Map.of("ClusterName", "prod", "ServiceName", "web"), t, 50,
                        "Percent")));

        assertThat(store.points(cpu, t, t.plusSeconds(1))).containsExactly(new Point(t, 2, 40, 10, 30, "Percent"));
        assertThat(store.list(id -> id.name().equals("CPUUtilization"), null)).hasSize(2);
    }

    @Test
    void retentionDropsOldPointsAndTheBoundsHold() {
        MetricStore store = new MetricStore(clock, Duration.ofMinutes(10), 2, 3);
        Instant t = now.get();
        for (int i = 0; i < 5; i++) {
            store.put(cpu, Point.of(t.plusSeconds(i), i, "Percent"));
        }
        assertThat(store.points(cpu, t, t.plusSeconds(60))).extracting(Point::sum).containsExactly(2.0, 3.0, 4.0);

        now.set(t.plus(Duration.ofMinutes(11)));
        assertThat(store.put(cpu, Point.of(t, 1, "Percent"))).as("older than the retention").isFalse();
        store.put(cpu, Point.of(now.get(), 7, "Percent"));
        assertThat(store.points(cpu, t, now.get().plusSeconds(1))).extracting(Point::sum).containsExactly(7.0);

        assertThat(store.put(new MetricId("A", "b", Map.of()), Point.of(now.get(), 1, null))).isTrue();
        assertThat(store.put(new MetricId("A", "c", Map.of()), Point.of(now.get(), 1, null)))
                .as("beyond the metric bound").isFalse();
    }

    @Test
    void recentlyActiveListsOnlyMetricsPutToSince() {
        MetricStore store = MetricStore.withDefaults(clock);
        store.put(cpu, Point.of(now.get(), 1, "Percent"));
        now.set(now.get().plus(Duration.ofHours(4)));
        MetricId fresh = new MetricId("AWS/ECS", "MemoryUtilization", Map.of("ClusterName", "prod"));
        store.put(fresh, Point.of(now.get(), 1, "Percent"));

        assertThat(store.list(id -> true, now.get().minus(Duration.ofHours(3)))).containsExactly(fresh);
        assertThat(store.list(id -> true, null)).containsExactly(cpu, fresh);
    }
}
