package io.berth.agent.engine;

/**
 * Where a task is on this host. The ECS lifecycle minus what happens off the host
 * (PROVISIONING, DEACTIVATING, DEPROVISIONING are the server's).
 *
 * <pre>
 *   PENDING ──all images pulled──▶ ACTIVATING ──every essential container running──▶ RUNNING
 *      │                               │                                                │
 *      └───────────── stop (asked by the server, essential container exited, failure) ──┴──▶ STOPPING ──▶ STOPPED
 *                                                                                                          │
 *                                                              cleanup delay: containers and task volumes removed
 * </pre>
 */
public enum TaskPhase {
    PENDING, ACTIVATING, RUNNING, STOPPING, STOPPED;

    /** ECS's task lastStatus. */
    public String wire() {
        return name();
    }
}
