package io.berth.ecs.metrics;

import io.berth.core.monitoring.MetricDatum;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code AWS/ECS} utilisation metrics, as ECS defines them (pure):
 *
 * <pre>
 *   service  (ClusterName, ServiceName), one statistic set per computation:
 *     Average = 100 × Σ CPU units used by the service's tasks / Σ CPU units they reserved
 *     Minimum, Maximum = the utilisation of the least and the most busy task
 *     SampleCount = the number of tasks (Sum = Average × SampleCount)
 *     MemoryUtilization likewise with MiB
 *   cluster  (ClusterName), one value:
 *     CPUUtilization    = 100 × Σ CPU units used by the cluster's tasks / Σ CPU units registered by its instances
 *     MemoryUtilization = 100 × Σ MiB used by the cluster's tasks       / Σ MiB registered by its instances
 * </pre>
 *
 * A figure whose denominator is 0 (nothing reserved or registered) is not published; a task that
 * reserved nothing does not count for its service's figure. Service values may exceed 100 (a task may
 * use more CPU than it reserved, as on ECS).
 */
public final class EcsUtilization {
    public static final String NAMESPACE = "AWS/ECS";
    public static final String CPU = "CPUUtilization";
    public static final String MEMORY = "MemoryUtilization";

    private EcsUtilization() {
    }

    /** What a cluster's container instances registered. */
    public record Capacity(long cpu, long memoryMiB) {
    }

    /** Per-task utilisations of one service and one resource, accumulated. */
    private static final class Sums {
        double used;
        double reserved;
        int tasks;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;

        void add(double taskUsed, int taskReserved) {
            if (taskReserved <= 0) {
                return;
            }
            double utilisation = 100.0 * taskUsed / taskReserved;
            used += taskUsed;
            reserved += taskReserved;
            tasks++;
            min = Math.min(min, utilisation);
            max = Math.max(max, utilisation);
        }

        void publish(List<MetricDatum> out, String name, Map<String, String> dims, Instant at) {
            if (tasks > 0) {
                double average = 100.0 * used / reserved;
                // min ≤ average ≤ max holds (a weighted mean); guard against rounding only
                out.add(new MetricDatum(name, dims, at, tasks, average * tasks, Math.min(min, average),
                        Math.max(max, average), "Percent"));
            }
        }
    }

    /**
     * The data points at {@code at} for {@code cluster}, from the latest samples of its tasks.
     *
     * @param samples the cluster's tasks' latest samples (others are ignored)
     * @param capacity what the cluster's instances registered
     */
    public static List<MetricDatum> compute(String cluster, Collection<TaskSample> samples, Capacity capacity,
                                            Instant at) {
        double usedCpu = 0;
        double usedMemory = 0;
        Map<String, Sums[]> byService = new LinkedHashMap<>(); // cpu, memory
        for (TaskSample s : samples) {
            if (!s.cluster().equals(cluster)) {
                continue;
            }
            usedCpu += s.usedCpu();
            usedMemory += s.usedMemoryMiB();
            if (s.service() != null) {
                Sums[] sums = byService.computeIfAbsent(s.service(), k -> new Sums[] {new Sums(), new Sums()});
                sums[0].add(s.usedCpu(), s.reservedCpu());
                sums[1].add(s.usedMemoryMiB(), s.reservedMemoryMiB());
            }
        }
        List<MetricDatum> out = new ArrayList<>();
        Map<String, String> clusterDims = Map.of("ClusterName", cluster);
        if (capacity.cpu() > 0) {
            out.add(MetricDatum.of(CPU, clusterDims, at, 100.0 * usedCpu / capacity.cpu(), "Percent"));
        }
        if (capacity.memoryMiB() > 0) {
            out.add(MetricDatum.of(MEMORY, clusterDims, at, 100.0 * usedMemory / capacity.memoryMiB(), "Percent"));
        }
        byService.forEach((service, sums) -> {
            Map<String, String> dims = Map.of("ClusterName", cluster, "ServiceName", service);
            sums[0].publish(out, CPU, dims, at);
            sums[1].publish(out, MEMORY, dims, at);
        });
        return out;
    }
}
