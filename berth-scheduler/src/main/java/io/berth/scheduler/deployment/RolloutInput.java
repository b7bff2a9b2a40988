package io.berth.scheduler.deployment;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything one tick of the planner looks at.
 *
 * @param desiredCount the service's desired count (REPLICA); ignored for DAEMON
 * @param daemonInstances for DAEMON: the instances that should each run one task (ACTIVE, with a
 *     connected agent), in the order to fill them; empty for REPLICA
 * @param deployments the service's deployments, PRIMARY first, then the ACTIVE ones newest first
 * @param tasks the service's tasks, including STOPPED ones still known
 * @param healthCheckGracePeriod how long after a task started its failing health checks are ignored
 * @param settleTime how long a RUNNING task without health checks runs before it counts as healthy
 *     (ECS: 40 s)
 * @param lastCompletedId the most recent deployment that COMPLETED, kept even once it is gone
 *     (null if none), for a rollback
 * @param spareDeploymentId a fresh id the plan may give a deployment it creates for a rollback
 */
public record RolloutInput(SchedulingStrategy strategy, int desiredCount, List<String> daemonInstances,
                           DeploymentConfig config, List<DeploymentState> deployments, List<ServiceTask> tasks,
                           Duration healthCheckGracePeriod, Duration settleTime, Throttle throttle,
                           String lastCompletedId, String spareDeploymentId, Instant now) {
    public RolloutInput {
        Objects.requireNonNull(strategy);
        Objects.requireNonNull(config);
        Objects.requireNonNull(now);
        if (deployments.isEmpty()) {
            throw new IllegalArgumentException("a service has a PRIMARY deployment");
        }
        if (desiredCount < 0) {
            throw new IllegalArgumentException("desiredCount must not be negative");
        }
        daemonInstances = daemonInstances == null ? List.of() : List.copyOf(daemonInstances);
        deployments = List.copyOf(deployments);
        tasks = List.copyOf(tasks);
        healthCheckGracePeriod = healthCheckGracePeriod == null ? Duration.ZERO : healthCheckGracePeriod;
        settleTime = settleTime == null ? Duration.ZERO : settleTime;
        throttle = throttle == null ? Throttle.NONE : throttle;
    }

    /** The number of tasks the service wants: the desired count, or one per daemon instance. */
    public int wanted() {
        return strategy == SchedulingStrategy.DAEMON ? daemonInstances.size() : desiredCount;
    }
}
