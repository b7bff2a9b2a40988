package io.berth.ecs.taskdef;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The parts of one container definition that placement and the agent work with, with AWS's defaults
 * applied (cpu 0, essential true, protocol tcp, host port = container port for awsvpc and host).
 * The full definition stays in {@link TaskDefinition#spec()}.
 *
 * @param cpu CPU units reserved for the container (0 when not given)
 * @param memory hard limit in MiB, if given
 * @param memoryReservation soft limit in MiB, if given
 */
public record ContainerSpec(String name, String image, int cpu, OptionalInt memory, OptionalInt memoryReservation,
                            boolean essential, List<PortMapping> portMappings) {
    public ContainerSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(image);
        Objects.requireNonNull(memory);
        Objects.requireNonNull(memoryReservation);
        portMappings = List.copyOf(portMappings);
    }

    /** Memory the container takes from its instance: the reservation if given, else the limit. */
    public OptionalInt reservedMemory() {
        return memoryReservation.isPresent() ? memoryReservation : memory;
    }

    /**
     * One port mapping.
     *
     * @param containerPort absent when the mapping is a {@code containerPortRange}
     * @param hostPort 0 for a dynamic host port (bridge without a host port)
     * @param containerPortRange {@code "first-last"}, or null
     */
    public record PortMapping(OptionalInt containerPort, int hostPort, String protocol, String containerPortRange) {
        public PortMapping {
            Objects.requireNonNull(containerPort);
            Objects.requireNonNull(protocol);
        }
    }

    static ContainerSpec of(JsonNode container, NetworkMode mode) {
        List<PortMapping> ports = new ArrayList<>();
        for (JsonNode pm : container.path("portMappings")) {
            OptionalInt containerPort = pm.hasNonNull("containerPort")
                    ? OptionalInt.of(pm.get("containerPort").asInt()) : OptionalInt.empty();
            int hostPort = pm.hasNonNull("hostPort") ? pm.get("hostPort").asInt()
                    : mode.hostPortIsContainerPort() ? containerPort.orElse(0) : 0;
            ports.add(new PortMapping(containerPort, hostPort, pm.path("protocol").asText("tcp"),
                    pm.hasNonNull("containerPortRange") ? pm.get("containerPortRange").asText() : null));
        }
        return new ContainerSpec(container.path("name").asText(), container.path("image").asText(),
                container.path("cpu").asInt(0), optionalInt(container, "memory"),
                optionalInt(container, "memoryReservation"), container.path("essential").asBoolean(true), ports);
    }

    private static OptionalInt optionalInt(JsonNode node, String field) {
        return node.hasNonNull(field) ? OptionalInt.of(node.get(field).asInt()) : OptionalInt.empty();
    }
}
