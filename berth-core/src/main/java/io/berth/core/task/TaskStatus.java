package io.berth.core.task;

/**
 * The ECS task lifecycle, in order. A task's last status only moves forward through this list
 * (never back), possibly skipping steps; see {@link TaskLifecycle}.
 *
 * <pre>
 * PROVISIONING -> PENDING -> ACTIVATING -> RUNNING -> DEACTIVATING -> STOPPING -> DEPROVISIONING -> STOPPED
 *      |             |            |                                      ^
 *      +-------------+------------+----------- (failed to start) -------+
 * </pre>
 */
public enum TaskStatus {
    PROVISIONING,
    PENDING,
    ACTIVATING,
    RUNNING,
    DEACTIVATING,
    STOPPING,
    DEPROVISIONING,
    STOPPED;

    public boolean atLeast(TaskStatus other) {
        return ordinal() >= other.ordinal();
    }

    public boolean terminal() {
        return this == STOPPED;
    }

    /** Not yet RUNNING and not stopping: what ECS counts as a pending task. */
    public boolean pending() {
        return ordinal() < RUNNING.ordinal();
    }
}
