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
 *   service  (ClusterName, ServiceName):
 *     CPUUtilization    = 100 × Σ CPU units used by the service's tasks / Σ CPU units they reserved
 *     MemoryUtilization = 100 × Σ MiB used by the service's tasks       / Σ MiB they reserved
 *   cluster  (ClusterName):
 *     CPUUtilization    = 100 × Σ CPU units used by the cluster's tasks / Σ CPU units registered by its instances
 *     MemoryUtilization = 100 × Σ MiB used by the cluster's tasks       / Σ MiB registered by its instances
 * </pre>
 *
 * A figure whose denominator is 0 (nothing reserved or registered) is not published. Service values
 * may exceed 100 (a task may use more CPU than it reserved, as on ECS).
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
        Map<String, double[]> byService = new LinkedHashMap<>(); // usedCpu, reservedCpu, usedMem, reservedMem
        for (TaskSample s : samples) {
            if (!s.cluster().equals(cluster)) {
                continue;
            }
            usedCpu += s.usedCpu();
            usedMemory += s.usedMemoryMiB();
            if (s.service() != null) {
                double[] sums = byService.computeIfAbsent(s.service(), k -> new double[4]);
                sums[0] += s.usedCpu();
                sums[1] += s.reservedCpu();
                sums[2] += s.usedMemoryMiB();
                sums[3] += s.reservedMemoryMiB();
            }
        }
        List<MetricDatum> out = new ArrayList<>();
        Map<String, String> clusterDims = Map.of("ClusterName", cluster);
        add(out, CPU, clusterDims, usedCpu, capacity.cpu(), at);
        add(out, MEMORY, clusterDims, usedMemory, capacity.memoryMiB(), at);
        byService.forEach((service, sums) -> {
            Map<String, String> dims = Map.of("ClusterName", cluster, "ServiceName", service);
            add(out, CPU, dims, sums[0], sums[1], at);
            add(out, MEMORY, dims, sums[2], sums[3], at);
        });
        return out;
    }

    private static void add(List<MetricDatum> out, String name, Map<String, String> dims, double used,
                            double reserved, Instant at) {
        if (reserved > 0) {
            out.add(new MetricDatum(name, dims, at, 100.0 * used / reserved, "Percent"));
        }
    }
}
