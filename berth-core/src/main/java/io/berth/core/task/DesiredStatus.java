package io.berth.core.task;

/** What the scheduler wants of a task: the {@code desiredStatus} of the ECS API. */
public enum DesiredStatus {
    PENDING,
    RUNNING,
    STOPPED
}
