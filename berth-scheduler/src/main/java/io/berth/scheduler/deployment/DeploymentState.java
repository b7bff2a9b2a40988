package io.berth.scheduler.deployment;

import java.util.Objects;
import java.util.Set;

/**
 * What the planner keeps of one deployment between ticks.
 *
 * @param id {@code ecs-svc/<digits>}; tasks name their deployment by it ({@code startedBy})
 * @param rolloutState ECS's rolloutState
 * @param rolloutStateReason ECS's rolloutStateReason
 * @param failedTasks the circuit breaker's failure count of this rollout
 * @param sawRunning whether a task of this deployment has reached RUNNING (circuit breaker stage 2)
 * @param countedFailures ids of failed tasks already counted, so that a tick seeing them again
 *     counts nothing twice; pruned to the tasks the input still has
 * @param rollbackOf for a deployment the planner made to roll back: the id of the COMPLETED
 *     deployment whose configuration it takes; null otherwise
 */
public record DeploymentState(String id, RolloutState rolloutState, String rolloutStateReason, int failedTasks,
                              boolean sawRunning, Set<String> countedFailures, String rollbackOf) {
    public DeploymentState {
        Objects.requireNonNull(id);
        Objects.requireNonNull(rolloutState);
        countedFailures = countedFailures == null ? Set.of() : Set.copyOf(countedFailures);
    }

    /** A new rollout, IN_PROGRESS. */
    public static DeploymentState started(String id) {
        return new DeploymentState(id, RolloutState.IN_PROGRESS, inProgress(id), 0, false, Set.of(), null);
    }

    static String inProgress(String id) {
        return "ECS deployment " + id + " in progress.";
    }

    static String completed(String id) {
        return "ECS deployment " + id + " completed.";
    }

    static final String FAILED_TO_START = "ECS deployment circuit breaker: tasks failed to start.";

    static String rollingBackTo(String id) {
        return "ECS deployment circuit breaker: rolling back to deploymentId " + id + ".";
    }
}
