package io.berth.agent.engine;

/**
 * Where one container of a task is on this host; finer than the wire's PENDING / RUNNING / STOPPED
 * ({@link #wire()} maps it).
 *
 * <pre>
 *  NONE ──pull──▶ PULLING ──▶ PULLED ──create──▶ CREATING ──▶ CREATED ──start──▶ STARTING ──▶ RUNNING
 *    │               │                               │                              │            │
 *    │               └─ pull failed ─┐               └─ create failed ─┐            └─ failed ─┐ │ exited / stop
 *    └── task stops before start ────┴─────────────────────────────────┴────────────────────────┴─▶ STOPPING ─▶ STOPPED
 * </pre>
 * A transient engine failure (engine down, timeout) sends PULLING, CREATING, STARTING and STOPPING
 * back one step, to be tried again after a delay.
 */
public enum ContainerPhase {
    NONE, PULLING, PULLED, CREATING, CREATED, STARTING, RUNNING, STOPPING, STOPPED;

    /** ECS's container lastStatus. */
    public String wire() {
        return switch (this) {
            case RUNNING, STOPPING -> "RUNNING";
            case STOPPED -> "STOPPED";
            default -> "PENDING";
        };
    }

    /** Whether the container exists on the host (or did, if stopped). */
    boolean created() {
        return compareTo(CREATED) >= 0;
    }
}
