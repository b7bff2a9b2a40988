package io.berth.ecs.taskdef;

import static io.berth.ecs.taskdef.TaskDefinitionValidator.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The checks of {@link TaskDefinitionValidator} that concern one container definition on its own. */
final class ContainerRules {
    /** Docker's minimum for a container (ContainerDefinition.memory: "don't specify less than 6 MiB"). */
    static final int MIN_CONTAINER_MEMORY = 6;
    private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9\\-_:./#]+");
    private static final Pattern DIGEST = Pattern.compile("sha256:[A-Fa-f0-9]{64}");
    private static final Pattern PORT_RANGE = Pattern.compile("(\\d{1,5})-(\\d{1,5})");
    private static final Set<String> ULIMITS = Set.of("core", "cpu", "data", "fsize", "locks", "memlock",
            "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");

    private ContainerRules() {
    }

    static void check(JsonNode c, NetworkMode mode, Set<String> volumes, OptionalInt taskMemory) {
        String name = c.path("name").asText("");
        if (name.isEmpty()) {
            throw client("Container.name should not be null or empty.");
        }
        if (name.length() > TaskDefinitionValidator.MAX_NAME || !TaskDefinitionValidator.NAME.matcher(name).matches()) {
            throw client("Container.name contains invalid characters.");
        }
        image(c.path("image").asText(""));
        if (c.path("cpu").asInt(0) < 0) {
            throw client("Invalid 'cpu' setting for container '" + name + "'.");
        }
        memory(c, name, taskMemory);
        portMappings(c, name, mode);
        healthCheck(c.path("healthCheck"), name);
        ulimits(c.path("ulimits"), name);
        for (JsonNode mp : c.path("mountPoints")) {
            String source = mp.hasNonNull("sourceVolume") ? mp.get("sourceVolume").asText() : "null";
            if (!volumes.contains(source)) {
                throw client("Unknown volume '" + source + "'.");
            }
        }
    }

    private static void image(String image) {
        if (image.isEmpty()) {
            throw client("Container.image should not be null or empty.");
        }
        int at = image.lastIndexOf('@');
        String repository = at < 0 ? image : image.substring(0, at);
        boolean valid = !repository.isEmpty() && repository.length() <= TaskDefinitionValidator.MAX_NAME
                && IMAGE.matcher(repository).matches()
                && (at < 0 || DIGEST.matcher(image.substring(at + 1)).matches());
        if (!valid) {
            throw client("Container.image contains invalid characters.");
        }
    }

    private static void memory(JsonNode c, String name, OptionalInt taskMemory) {
        OptionalInt memory = optionalInt(c, "memory");
        OptionalInt reservation = optionalInt(c, "memoryReservation");
        if (memory.isPresent() && memory.getAsInt() < MIN_CONTAINER_MEMORY) {
            throw client("Invalid 'memory' setting for container '" + name + "'.");
        }
        if (reservation.isPresent() && reservation.getAsInt() < MIN_CONTAINER_MEMORY) {
            throw client("Invalid 'memoryReservation' setting for container '" + name + "'.");
        }
        if (memory.isEmpty() && reservation.isEmpty() && taskMemory.isEmpty()) {
            throw client("Invalid setting for container '" + name + "'. At least one of 'memory' or"
                    + " 'memoryReservation' must be specified.");
        }
        if (memory.isPresent() && reservation.isPresent() && reservation.getAsInt() > memory.getAsInt()) {
            throw client("Invalid setting for container '" + name + "'. 'memoryReservation' must be less than or"
                    + " equal to 'memory'.");
        }
        if (taskMemory.isPresent() && memory.isPresent() && memory.getAsInt() > taskMemory.getAsInt()) {
            throw client("The 'memory' setting for container '" + name + "' is greater than for the task.");
        }
    }

    private static void portMappings(JsonNode c, String name, NetworkMode mode) {
        JsonNode mappings = c.path("portMappings");
        if (mode == NetworkMode.NONE && !mappings.isEmpty()) {
            throw client("Port mappings are not supported for container '" + name + "' when networkMode=none.");
        }
        for (JsonNode pm : mappings) {
            if (pm.hasNonNull("containerPortRange")) {
                portRange(pm, name, mode);
                continue;
            }
            int containerPort = pm.path("containerPort").asInt(0);
            if (containerPort < 1 || containerPort > 65535) {
                throw client("Invalid 'containerPort' setting for container '" + name + "'.");
            }
            if (pm.hasNonNull("hostPort")) {
                int hostPort = pm.get("hostPort").asInt();
                if (hostPort < 0 || hostPort > 65535) {
                    throw client("Invalid 'hostPort' setting for container '" + name + "'.");
                }
                if (mode.hostPortIsContainerPort() && hostPort != 0 && hostPort != containerPort) {
                    throw client("When networkMode=" + mode.wire() + ", the host ports and container ports in port"
                            + " mappings must match.");
                }
            }
        }
    }

    private static void portRange(JsonNode pm, String name, NetworkMode mode) {
        Matcher m = PORT_RANGE.matcher(pm.get("containerPortRange").asText());
        boolean valid = m.matches() && (mode == NetworkMode.BRIDGE || mode == NetworkMode.AWSVPC)
                && !pm.hasNonNull("containerPort") && !pm.hasNonNull("hostPort");
        if (valid) {
            int first = Integer.parseInt(m.group(1));
            int last = Integer.parseInt(m.group(2));
            valid = first >= 1 && first < last && last <= 65535;
        }
        if (!valid) {
            throw client("Invalid 'containerPortRange' setting for container '" + name + "'.");
        }
    }

    private static void healthCheck(JsonNode hc, String name) {
        if (hc.isMissingNode() || hc.isNull()) {
            return;
        }
        JsonNode command = hc.path("command");
        String first = command.path(0).asText("");
        if (!(first.equals("CMD") || first.equals("CMD-SHELL")) || command.size() < 2) {
            throw client("The health check command of container '" + name + "' must start with CMD or CMD-SHELL"
                    + " followed by the command to run.");
        }
        range(hc, "interval", 5, 300, name);
        range(hc, "timeout", 2, 60, name);
        range(hc, "retries", 1, 10, name);
        range(hc, "startPeriod", 0, 300, name);
    }

    private static void range(JsonNode hc, String field, int min, int max, String name) {
        if (hc.hasNonNull(field)) {
            int v = hc.get(field).asInt();
            if (v < min || v > max) {
                throw client("Invalid 'healthCheck." + field + "' setting for container '" + name
                        + "'. It must be between " + min + " and " + max + ".");
            }
        }
    }

    private static void ulimits(JsonNode ulimits, String name) {
        Set<String> seen = new HashSet<>();
        for (JsonNode u : ulimits) {
            String ulimit = u.path("name").asText();
            if (!ULIMITS.contains(ulimit)) {
                throw client("Invalid ulimit name '" + ulimit + "' for container '" + name + "'.");
            }
            if (!seen.add(ulimit)) {
                throw client("Duplicate ulimit '" + ulimit + "' for container '" + name + "'.");
            }
            if (u.path("softLimit").asLong() > u.path("hardLimit").asLong()) {
                throw client("Invalid ulimit '" + ulimit + "' for container '" + name
                        + "': the softLimit must not be greater than the hardLimit.");
            }
        }
    }

    private static OptionalInt optionalInt(JsonNode node, String field) {
        return node.hasNonNull(field) ? OptionalInt.of(node.get(field).asInt()) : OptionalInt.empty();
    }
}
