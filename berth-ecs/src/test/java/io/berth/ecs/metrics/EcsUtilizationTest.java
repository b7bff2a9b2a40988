package io.berth.ecs.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.berth.core.monitoring.MetricDatum;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EcsUtilizationTest {
    private static final Instant AT = Instant.parse("2026-11-25T03:00:00Z");

    private static double value(List<MetricDatum> data, String name, Map<String, String> dims) {
        return data.stream().filter(d -> d.name().equals(name) && d.dimensions().equals(dims))
                .findFirst().orElseThrow(() -> new AssertionError(name + " " + dims + " missing in " + data))
                .average();
    }

    @Test
    void serviceUtilisationIsUseOverReservationAndClusterUtilisationIsUseOverRegisteredCapacity() {
        List<TaskSample> samples = List.of(
                // web: two tasks of 256 CPU units / 512 MiB; one uses a whole CPU, one a quarter of its share
                new TaskSample("prod", "web", 256, 512, 1024, 256, AT),
                new TaskSample("prod", "web", 256, 512, 64, 128, AT),
                // a standalone task counts for the cluster only
                new TaskSample("prod", null, 512, 1024, 512, 512, AT),
                // another cluster is not counted
                new TaskSample("test", "web", 256, 512, 256, 512, AT));

        List<MetricDatum> data = EcsUtilization.compute("prod", samples, new EcsUtilization.Capacity(4096, 8192), AT);

        Map<String, String> web = Map.of("ClusterName", "prod", "ServiceName", "web");
        Map<String, String> cluster = Map.of("ClusterName", "prod");
        assertThat(value(data, "CPUUtilization", web)).isCloseTo(100.0 * 1088 / 512, within(1e-9));
        assertThat(value(data, "MemoryUtilization", web)).isCloseTo(100.0 * 384 / 1024, within(1e-9));
        assertThat(value(data, "CPUUtilization", cluster)).isCloseTo(100.0 * 1600 / 4096, within(1e-9));
        assertThat(value(data, "MemoryUtilization", cluster)).isCloseTo(100.0 * 896 / 8192, within(1e-9));
        // the service's Minimum and Maximum are its least and most busy task's, SampleCount its tasks
        MetricDatum webCpu = data.stream().filter(d -> d.name().equals("CPUUtilization")
                && d.dimensions().equals(web)).findFirst().orElseThrow();
        assertThat(webCpu.sampleCount()).isEqualTo(2);
        assertThat(webCpu.minimum()).isCloseTo(25.0, within(1e-9));
        assertThat(webCpu.maximum()).isCloseTo(400.0, within(1e-9));
        assertThat(value(data, "CPUUtilization", cluster)).isEqualTo(
                data.stream().filter(d -> d.dimensions().equals(cluster) && d.name().equals("CPUUtilization"))
                        .findFirst().orElseThrow().maximum());
        assertThat(data).hasSize(4).allSatisfy(d -> {
            assertThat(d.unit()).isEqualTo("Percent");
            assertThat(d.timestamp()).isEqualTo(AT);
        });
    }

    @Test
    void nothingReservedOrRegisteredPublishesNothingForThatFigure() {
        List<TaskSample> samples = List.of(new TaskSample("prod", "web", 0, 512, 100, 100, AT));

        List<MetricDatum> data = EcsUtilization.compute("prod", samples, new EcsUtilization.Capacity(0, 0), AT);

        assertThat(data).extracting(MetricDatum::name).containsExactly("MemoryUtilization");
        assertThat(data.get(0).dimensions()).containsEntry("ServiceName", "web");
    }
}
