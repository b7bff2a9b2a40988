package io.berth.ecs.task;

import io.berth.core.error.BerthException;
import io.berth.core.task.TaskContainer;
import io.berth.ecs.taskdef.ContainerSpec;
import io.berth.ecs.taskdef.NetworkMode;
import io.berth.ecs.taskdef.TaskDefinition;
import io.berth.scheduler.placement.TaskDemand;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a task definition (with a request's overrides) asks of a host: its resources and static
 * host ports, its containers, and whether Berth can run it yet.
 */
final class TaskShape {
    private TaskShape() {
    }

    /** Refuses, with a clear reason, what belongs to capabilities Berth does not have yet. */
    static void requireRunnable(TaskDefinition td) {
        if (td.networkMode() == NetworkMode.AWSVPC) {
            throw BerthException.invalidParameter("Berth cannot run tasks in the awsvpc network mode yet; "
                    + "use bridge or host (task definition " + td.familyRevision() + ").");
        }
        ObjectNode spec = td.spec();
        for (JsonNode volume : spec.path("volumes")) {
            if (volume.has("efsVolumeConfiguration") || volume.has("fsxWindowsFileServerVolumeConfiguration")) {
                throw BerthException.invalidParameter("Berth cannot mount EFS or FSx volumes yet (volume '"
                        + volume.path("name").asText() + "').");
            }
        }
        for (JsonNode c : spec.path("containerDefinitions")) {
            String name = c.path("name").asText();
            if (c.path("secrets").size() > 0) {
                throw BerthException.invalidParameter("Berth cannot inject secrets yet (container '" + name + "').");
            }
            if (c.has("firelensConfiguration")) {
                throw BerthException.invalidParameter("Berth does not support FireLens yet (container '" + name + "').");
            }
            if (c.has("repositoryCredentials")) {
                throw BerthException.invalidParameter(
                        "Berth cannot use repositoryCredentials yet (container '" + name + "').");
            }
        }
    }

    static TaskDemand demand(TaskDefinition td, JsonNode overrides) {
        Map<String, JsonNode> containerOverrides = containerOverrides(overrides);
        int cpu = 0;
        int memory = 0;
        List<Integer> tcp = new ArrayList<>();
        List<Integer> udp = new ArrayList<>();
        for (ContainerSpec c : td.containers()) {
            JsonNode o = containerOverrides.get(c.name());
            cpu += o != null && o.has("cpu") ? o.get("cpu").asInt() : c.cpu();
            int reserved = c.reservedMemory().orElse(0);
            if (o != null && o.has("memoryReservation")) {
                reserved = o.get("memoryReservation").asInt();
            } else if (o != null && o.has("memory") && c.memoryReservation().isEmpty()) {
                reserved = o.get("memory").asInt();
            }
            memory += reserved;
            for (ContainerSpec.PortMapping p : c.portMappings()) {
                int host = td.networkMode() == NetworkMode.HOST ? p.containerPort().orElse(0) : p.hostPort();
                if (host > 0) {
                    ("udp".equals(p.protocol()) ? udp : tcp).add(host);
                }
            }
        }
        if (overrides != null && overrides.hasNonNull("cpu")) {
            cpu = parseInt(overrides.get("cpu").asText(), cpu);
        } else if (td.taskCpu().isPresent()) {
            cpu = td.taskCpu().getAsInt();
        }
        if (overrides != null && overrides.hasNonNull("memory")) {
            memory = parseInt(overrides.get("memory").asText(), memory);
        } else if (td.taskMemory().isPresent()) {
            memory = td.taskMemory().getAsInt();
        }
        return new TaskDemand(cpu, memory, tcp, udp);
    }

    /** The static host ports per {@code container/containerPort/protocol}, for the agent. */
    static Map<String, Integer> hostPorts(TaskDefinition td) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (ContainerSpec c : td.containers()) {
            for (ContainerSpec.PortMapping p : c.portMappings()) {
                int host = td.networkMode() == NetworkMode.HOST ? p.containerPort().orElse(0) : p.hostPort();
                if (host > 0 && p.containerPort().isPresent()) {
                    ports.put(c.name() + "/" + p.containerPort().getAsInt() + "/" + p.protocol(), host);
                }
            }
        }
        return ports;
    }

    static List<TaskContainer> containers(TaskDefinition td, JsonNode overrides) {
        Map<String, JsonNode> containerOverrides = containerOverrides(overrides);
        List<TaskContainer> result = new ArrayList<>();
        for (ContainerSpec c : td.containers()) {
            JsonNode o = containerOverrides.get(c.name());
            int cpu = o != null && o.has("cpu") ? o.get("cpu").asInt() : c.cpu();
            Integer memory = o != null && o.has("memory") ? Integer.valueOf(o.get("memory").asInt())
                    : c.memory().isPresent() ? c.memory().getAsInt() : null;
            Integer reservation = o != null && o.has("memoryReservation")
                    ? Integer.valueOf(o.get("memoryReservation").asInt())
                    : c.memoryReservation().isPresent() ? c.memoryReservation().getAsInt() : null;
            result.add(new TaskContainer(UUID.randomUUID().toString(), c.name(), c.image(), null, null, "PENDING",
                    null, null, List.of(), "UNKNOWN", Integer.toString(cpu), memory, reservation, c.essential()));
        }
        return result;
    }

    static Map<String, JsonNode> containerOverrides(JsonNode overrides) {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        if (overrides != null) {
            for (JsonNode o : overrides.path("containerOverrides")) {
                byName.put(o.path("name").asText(), o);
            }
        }
        return byName;
    }

    private static int parseInt(String text, int fallback) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
