package io.berth.scheduler.deployment;

/** ECS's {@code rolloutState} of a deployment. */
public enum RolloutState {
    IN_PROGRESS,
    COMPLETED,
    FAILED
}
