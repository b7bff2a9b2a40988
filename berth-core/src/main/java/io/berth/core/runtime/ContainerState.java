package io.berth.core.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A container as the engine sees it now.
 *
 * @param status created, running, paused, restarting, removing, exited, dead
 * @param exitCode the exit code once exited, else null
 * @param error the engine's error text for a failed start, else null (such a container stays
 *     "created", with no exit code)
 * @param health none, starting, healthy, unhealthy
 * @param ports the published ports actually bound
 */
public record ContainerState(String id, String name, String image, String imageId, String status, Integer exitCode,
                             boolean oomKilled, String error, Instant createdAt, Instant startedAt,
                             Instant finishedAt, String health, Map<String, String> labels,
                             List<PortBinding> ports) {
    public ContainerState {
        labels = Map.copyOf(labels);
        ports = List.copyOf(ports);
    }

    public boolean running() {
        return "running".equals(status) || "restarting".equals(status) || "paused".equals(status);
    }

    public boolean exited() {
        return "exited".equals(status) || "dead".equals(status);
    }

    /** A published port: container port/protocol bound to hostIp:hostPort. */
    public record PortBinding(int containerPort, String protocol, String hostIp, int hostPort) {
    }
}
