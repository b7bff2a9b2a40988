package io.berth.agent.runtime;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.NetworkSettings;
import com.github.dockerjava.api.model.Ports;
import io.berth.core.runtime.ContainerState;
import io.berth.core.runtime.ContainerState.PortBinding;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The engine's container inspection ({@code GET /containers/{id}/json}) → {@link ContainerState}. */
final class ContainerStates {
    /** Docker's zero time, which it reports for "never" (not started, not finished). */
    private static final Instant DOCKER_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private static final Comparator<PortBinding> PORT_ORDER = Comparator.comparingInt(PortBinding::containerPort)
            .thenComparing(PortBinding::protocol).thenComparing(PortBinding::hostIp)
            .thenComparingInt(PortBinding::hostPort);

    private ContainerStates() {
    }

    static ContainerState from(InspectContainerResponse c) {
        InspectContainerResponse.ContainerState s = c.getState();
        String status = s == null ? null : s.getStatus();
        boolean exited = "exited".equals(status) || "dead".equals(status);
        Long exitCode = s == null ? null : s.getExitCodeLong();
        String health = s == null || s.getHealth() == null || s.getHealth().getStatus() == null
                ? "none"
                : s.getHealth().getStatus();
        Map<String, String> labels = c.getConfig() == null || c.getConfig().getLabels() == null
                ? Map.of()
                : c.getConfig().getLabels();
        return new ContainerState(
                c.getId(),
                name(c.getName()),
                c.getConfig() == null ? null : c.getConfig().getImage(),
                c.getImageId(),
                status,
                exited && exitCode != null ? Math.toIntExact(exitCode) : null,
                s != null && Boolean.TRUE.equals(s.getOOMKilled()),
                s == null || s.getError() == null || s.getError().isBlank() ? null : s.getError(),
                timestamp(c.getCreated()),
                s == null ? null : timestamp(s.getStartedAt()),
                s == null ? null : timestamp(s.getFinishedAt()),
                health,
                labels,
                ports(c.getNetworkSettings()));
    }

    /** An RFC 3339 engine time; null for null, blank, unparsable, and Docker's "0001-01-01T00:00:00Z". */
    static Instant timestamp(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
        return at.isAfter(DOCKER_ZERO_TIME) ? at : null;
    }

    /** The published ports actually bound; empty when the container is not running. */
    static List<PortBinding> ports(NetworkSettings settings) {
        if (settings == null || settings.getPorts() == null) {
            return List.of();
        }
        List<PortBinding> bound = new ArrayList<>();
        for (Map.Entry<ExposedPort, Ports.Binding[]> e : settings.getPorts().getBindings().entrySet()) {
            if (e.getValue() == null) {
                continue; // exposed, not published
            }
            for (Ports.Binding b : e.getValue()) {
                Integer hostPort = port(b.getHostPortSpec());
                if (hostPort != null) {
                    bound.add(new PortBinding(e.getKey().getPort(), e.getKey().getProtocol().toString(),
                            b.getHostIp() == null ? "" : b.getHostIp(), hostPort));
                }
            }
        }
        bound.sort(PORT_ORDER);
        return bound;
    }

    private static Integer port(String spec) {
        if (spec == null || spec.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(spec);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String name(String name) {
        return name != null && name.startsWith("/") ? name.substring(1) : name;
    }
}
