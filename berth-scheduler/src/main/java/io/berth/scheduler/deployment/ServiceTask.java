package io.berth.scheduler.deployment;

import java.time.Instant;
import java.util.Objects;

/**
 * One task of a service as the planner sees it.
 *
 * @param deploymentId the deployment that started it
 * @param phase where it is in its life
 * @param healthChecked whether an essential container of it has a health check
 * @param health the task's health status (HEALTHY, UNHEALTHY, UNKNOWN)
 * @param startedAt when it reached RUNNING, null if it never did
 * @param stoppedAt when it stopped, null while it runs
 * @param instanceId the container instance it is on
 * @param instanceDraining whether that instance is DRAINING (or gone)
 * @param ending why it is stopping or stopped; null while it runs
 * @param targetHealth the health of its load balancer targets, all groups together: {@link TargetHealth#NONE}
 *     when the service has no load balancer
 */
public record ServiceTask(String id, String deploymentId, Phase phase, boolean healthChecked, Health health,
                          Instant createdAt, Instant startedAt, Instant stoppedAt, String instanceId,
                          String availabilityZone, boolean instanceDraining, Ending ending,
                          TargetHealth targetHealth) {
    public ServiceTask {
        Objects.requireNonNull(id);
        Objects.requireNonNull(deploymentId);
        Objects.requireNonNull(phase);
        Objects.requireNonNull(health);
        Objects.requireNonNull(createdAt);
        targetHealth = targetHealth == null ? TargetHealth.NONE : targetHealth;
    }

    /** A task of a service without a load balancer. */
    public ServiceTask(String id, String deploymentId, Phase phase, boolean healthChecked, Health health,
                       Instant createdAt, Instant startedAt, Instant stoppedAt, String instanceId,
                       String availabilityZone, boolean instanceDraining, Ending ending) {
        this(id, deploymentId, phase, healthChecked, health, createdAt, startedAt, stoppedAt, instanceId,
                availabilityZone, instanceDraining, ending, TargetHealth.NONE);
    }

    /** PENDING: placed, not yet RUNNING. STOPPING: asked to stop, not yet STOPPED. */
    public enum Phase { PENDING, RUNNING, STOPPING, STOPPED }

    public enum Health { HEALTHY, UNHEALTHY, UNKNOWN }

    /**
     * A task's targets as its load balancers see them, all target groups together: HEALTHY when
     * healthy in every group, UNHEALTHY when unhealthy in any, else PENDING (registering, initial
     * checks). NONE: the service has no load balancer.
     */
    public enum TargetHealth { NONE, PENDING, HEALTHY, UNHEALTHY }

    /**
     * Why a task ended. Failures (for the circuit breaker and the launch throttle) are those that
     * never reached RUNNING, failed their health checks, or whose essential container exited.
     */
    public enum Ending {
        FAILED_TO_START(true),
        UNHEALTHY(true),
        EXITED(true),
        /** Stopped by the service scheduler (a rollout, a scale-in, a draining instance). */
        SCHEDULER(false),
        /** Stopped by a user (StopTask) or for any other reason not the task's fault. */
        OTHER(false);

        private final boolean failure;

        Ending(boolean failure) {
            this.failure = failure;
        }

        public boolean failure() {
            return failure;
        }
    }

    /** Placed and meant to run: PENDING or RUNNING. */
    public boolean live() {
        return phase == Phase.PENDING || phase == Phase.RUNNING;
    }

    /** Not yet STOPPED: what counts against the maximum. */
    public boolean inFlight() {
        return phase != Phase.STOPPED;
    }

    public ServiceTask withPhase(Phase next, Ending why) {
        return new ServiceTask(id, deploymentId, next, healthChecked, health, createdAt, startedAt, stoppedAt,
                instanceId, availabilityZone, instanceDraining, why, targetHealth);
    }
}
