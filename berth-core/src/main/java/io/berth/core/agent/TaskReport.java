package io.berth.core.agent;

import java.time.Instant;
import java.util.List;

/**
 * The whole current state of one task on the host, as the agent knows it.
 *
 * @param lastStatus PENDING (accepted, pulling), ACTIVATING (creating, starting), RUNNING,
 *     STOPPING, or STOPPED
 * @param stopCode when STOPPED: TaskFailedToStart, EssentialContainerExited, UserInitiated, ...
 * @param stoppedReason when STOPPED: AWS's words, e.g. "Essential container in task exited"
 * @param healthStatus HEALTHY, UNHEALTHY or UNKNOWN (from essential containers' health checks)
 */
public record TaskReport(String taskArn, String lastStatus, String healthStatus, Instant pullStartedAt,
                         Instant pullStoppedAt, Instant startedAt, Instant executionStoppedAt, String stopCode,
                         String stoppedReason, List<ContainerReport> containers) {
    public TaskReport {
        containers = containers == null ? List.of() : List.copyOf(containers);
    }
}
