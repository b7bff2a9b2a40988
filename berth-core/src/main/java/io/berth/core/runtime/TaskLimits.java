package io.berth.core.runtime;

/**
 * The limits a task cgroup holds for all of a task's containers together, in the kernel's units.
 * As the ECS agent builds them: a task-level {@code cpu} becomes a CFS quota per period, otherwise
 * the task's containers' CPU shares add up to the cgroup's shares; a task-level {@code memory}
 * becomes a hard limit.
 *
 * @param memoryBytes hard memory limit of the task, null for none
 * @param cpuQuotaMicros CPU time the task may use per period, null for none (then {@code cpuShares})
 * @param cpuPeriodMicros the CFS period the quota is counted in
 * @param cpuShares relative CPU weight (cgroup v1 shares, 2..262144), null for none
 */
public record TaskLimits(Long memoryBytes, Long cpuQuotaMicros, long cpuPeriodMicros, Long cpuShares) {
    /** The kernel's range of CFS periods and the smallest quota, in µs. */
    public static final long MIN_PERIOD_MICROS = 1_000;
    public static final long MAX_PERIOD_MICROS = 1_000_000;
    public static final long MIN_QUOTA_MICROS = 1_000;
    public static final long MIN_SHARES = 2;
    public static final long MAX_SHARES = 262_144;

    public TaskLimits {
        if (memoryBytes != null && memoryBytes <= 0) {
            throw new IllegalArgumentException("memoryBytes must be > 0: " + memoryBytes);
        }
        if (cpuPeriodMicros < MIN_PERIOD_MICROS || cpuPeriodMicros > MAX_PERIOD_MICROS) {
            throw new IllegalArgumentException("cpuPeriodMicros must be in [1000, 1000000]: " + cpuPeriodMicros);
        }
        if (cpuQuotaMicros != null && cpuQuotaMicros < MIN_QUOTA_MICROS) {
            throw new IllegalArgumentException("cpuQuotaMicros must be ≥ 1000: " + cpuQuotaMicros);
        }
        if (cpuShares != null && (cpuShares < MIN_SHARES || cpuShares > MAX_SHARES)) {
            throw new IllegalArgumentException("cpuShares must be in [2, 262144]: " + cpuShares);
        }
    }
}
