package io.berth.scheduler.deployment;

/**
 * A service's {@code deploymentConfiguration}: the bounds of a rolling update and its circuit
 * breaker.
 *
 * @param minimumHealthyPercent tasks that must stay healthy, in percent of the desired count (rounded up)
 * @param maximumPercent tasks that may be in flight, in percent of the desired count (rounded down)
 * @param circuitBreaker whether a rollout whose tasks keep failing is marked FAILED
 * @param rollback whether a FAILED rollout returns to the last COMPLETED deployment
 */
public record DeploymentConfig(int minimumHealthyPercent, int maximumPercent, boolean circuitBreaker,
                               boolean rollback) {
    public DeploymentConfig {
        if (minimumHealthyPercent < 0 || maximumPercent < 0) {
            throw new IllegalArgumentException("percentages must not be negative");
        }
    }

    /** ECS's defaults: 100/200 for REPLICA, 0/100 for DAEMON, no circuit breaker. */
    public static DeploymentConfig defaults(SchedulingStrategy strategy) {
        return strategy == SchedulingStrategy.DAEMON
                ? new DeploymentConfig(0, 100, false, false)
                : new DeploymentConfig(100, 200, false, false);
    }

    /** The fewest tasks that must stay healthy: {@code ceil(desired * minimumHealthyPercent / 100)}. */
    public int minimumHealthy(int desired) {
        return Math.min(desired, (int) ((desired * (long) minimumHealthyPercent + 99) / 100));
    }

    /**
     * The most tasks that may be in flight: {@code floor(desired * maximumPercent / 100)}, never
     * below the desired count itself (a service always may run what it wants).
     */
    public int maximumTasks(int desired) {
        return (int) Math.max(desired, desired * (long) maximumPercent / 100);
    }

    /**
     * The circuit breaker's failure threshold: half the desired count, rounded up, within 3 and 200
     * (deployment-circuit-breaker: 1 -> 3, 25 -> 13, 400 -> 200, 800 -> 200).
     */
    public static int failureThreshold(int desired) {
        return Math.max(3, Math.min(200, (desired + 1) / 2));
    }
}
