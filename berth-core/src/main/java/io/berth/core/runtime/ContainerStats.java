package io.berth.core.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One sample of a container's resource use, as Docker's stats API reports it (cgroup counters).
 * CPU figures are cumulative nanoseconds: utilisation is the difference between two samples.
 *
 * @param read when the engine took the sample
 * @param cpuTotalNanos CPU time used by the container since it started
 * @param perCpuNanos the same per CPU (empty on cgroup v2)
 * @param systemCpuNanos CPU time of the whole host, the denominator of utilisation
 * @param onlineCpus CPUs the container may use
 * @param memoryUsageBytes memory in use (the engine's usage; ECS subtracts the page cache from it)
 * @param memoryStats the cgroup's memory counters (cache, rss, inactive_file, ...)
 * @param networks counters per interface (empty in host mode)
 * @param blockIo io_service_bytes_recursive: bytes read and written per device
 */
public record ContainerStats(Instant read, long cpuTotalNanos, long cpuKernelNanos, long cpuUserNanos,
                             List<Long> perCpuNanos, long systemCpuNanos, int onlineCpus, long memoryUsageBytes,
                             long memoryMaxUsageBytes, long memoryLimitBytes, Map<String, Long> memoryStats,
                             Map<String, NetworkCounters> networks, long pids, List<BlockIo> blockIo) {
    public ContainerStats {
        perCpuNanos = perCpuNanos == null ? List.of() : List.copyOf(perCpuNanos);
        memoryStats = memoryStats == null ? Map.of() : Map.copyOf(memoryStats);
        networks = networks == null ? Map.of() : Map.copyOf(networks);
        blockIo = blockIo == null ? List.of() : List.copyOf(blockIo);
    }

    /** Byte and packet counters of one network interface. */
    public record NetworkCounters(long rxBytes, long rxPackets, long rxErrors, long rxDropped, long txBytes,
                                  long txPackets, long txErrors, long txDropped) {
    }

    /** One blkio counter: device major:minor, operation (Read, Write, ...), value. */
    public record BlockIo(long major, long minor, String op, long value) {
    }

    /**
     * Memory in use without the page cache, as ECS counts it: usage minus {@code inactive_file}
     * (cgroup v2) or {@code cache} (v1).
     */
    public long memoryWithoutCacheBytes() {
        long cache = memoryStats.getOrDefault("inactive_file", memoryStats.getOrDefault("total_inactive_file",
                memoryStats.getOrDefault("cache", 0L)));
        return Math.max(0, memoryUsageBytes - cache);
    }

    /**
     * CPU utilisation between {@code earlier} and this sample, in percent of one CPU times the
     * container's CPUs (Docker's formula: 100 % per fully used CPU); 0 when it cannot be told.
     */
    public double cpuPercentSince(ContainerStats earlier) {
        long cpu = cpuTotalNanos - earlier.cpuTotalNanos;
        long system = systemCpuNanos - earlier.systemCpuNanos;
        if (cpu <= 0 || system <= 0) {
            return 0;
        }
        int cpus = onlineCpus > 0 ? onlineCpus : Math.max(1, perCpuNanos.size());
        return (double) cpu / system * cpus * 100.0;
    }
}
