package io.berth.scheduler.deployment;

import java.util.List;

/**
 * The actions of one tick and the deployments after it.
 *
 * @param starts tasks to start, each for the PRIMARY deployment
 * @param stops tasks to stop
 * @param deployments the deployments after this tick, PRIMARY first; a deployment missing from
 *     the list has become INACTIVE
 * @param outcomes what happened to the deployments and the service this tick, in order, for events
 * @param throttle the launch throttle after this tick
 * @param steady whether the service is in a steady state: one COMPLETED deployment running the
 *     wanted number of healthy tasks and nothing to do
 */
public record RolloutPlan(List<Start> starts, List<Stop> stops, List<DeploymentState> deployments,
                          List<Outcome> outcomes, Throttle throttle, boolean steady) {
    public RolloutPlan {
        starts = List.copyOf(starts);
        stops = List.copyOf(stops);
        deployments = List.copyOf(deployments);
        outcomes = List.copyOf(outcomes);
    }

    public DeploymentState primary() {
        return deployments.get(0);
    }

    public int startCount() {
        return starts.stream().mapToInt(Start::count).sum();
    }

    /**
     * Start {@code count} tasks for a deployment: anywhere that fits (REPLICA), or on the one
     * instance named (DAEMON).
     */
    public record Start(String deploymentId, int count, String instanceId) {
    }

    public record Stop(String taskId, StopReason reason) {
    }

    public enum StopReason {
        /** Failed its container health checks (past the grace period). */
        UNHEALTHY,
        /** Replaced by a newer deployment. */
        REPLACED,
        /** More tasks than the desired count. */
        SCALE_IN,
        /** Its container instance is DRAINING or gone. */
        DRAINING
    }

    /** What a tick did to the deployments and the service. */
    public sealed interface Outcome {
    }

    /** The PRIMARY deployment reached its desired count of healthy tasks alone. */
    public record Completed(String deploymentId) implements Outcome {
    }

    /** The circuit breaker marked the PRIMARY rollout FAILED. */
    public record Failed(String deploymentId) implements Outcome {
    }

    /**
     * A FAILED rollout returns to the COMPLETED deployment {@code targetId}: that deployment is
     * PRIMARY again, or, when it is gone, a new deployment {@code newPrimaryId} takes its
     * configuration.
     */
    public record RollingBack(String failedId, String targetId, String newPrimaryId) implements Outcome {
    }

    /** A deployment without tasks left became INACTIVE. */
    public record Retired(String deploymentId) implements Outcome {
    }

    /** The service's launches keep failing and are now throttled. */
    public record StartImpaired() implements Outcome {
    }

    /** A rollout cannot move: the deployment configuration allows neither a start nor a stop. */
    public record Blocked() implements Outcome {
    }
}
