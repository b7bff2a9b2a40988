package io.berth.ecs.taskdef;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.error.BerthException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a RegisterTaskDefinition request the way ECS does once the edge has checked it against the
 * API model (JSON types, required members, enums). The first problem found is thrown as a
 * {@link BerthException}: ClientException for a definition ECS refuses, InvalidParameterException for
 * a cpu or memory string it cannot read, with AWS's message where it is known (see
 * {@code package-info} for the sources).
 *
 * <p>Order: family, task size, container list, volumes and task-level members, each container
 * ({@link ContainerRules}), then the rules across containers (essential, dependsOn, sums), and
 * finally the launch types required. Stateless and thread-safe.
 */
public final class TaskDefinitionValidator {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
    static final int MAX_NAME = 255;
    static final int MAX_CONTAINERS = 10;
    static final int MAX_PLACEMENT_CONSTRAINTS = 10;

    private TaskDefinitionValidator() {
    }

    /** Validates {@code spec}, the request without its tags. */
    public static void validate(JsonNode spec) {
        family(spec.path("family").asText(""));
        OptionalInt taskCpu = TaskSize.cpuOf(TaskDefinition.text(spec, "cpu"));
        OptionalInt taskMemory = TaskSize.memoryOf(TaskDefinition.text(spec, "memory"));
        if (taskCpu.isPresent() && (taskCpu.getAsInt() < TaskSize.MIN_EC2_CPU
                || taskCpu.getAsInt() > TaskSize.MAX_EC2_CPU)) {
            throw client("Invalid 'cpu' setting for task.");
        }
        JsonNode containers = spec.path("containerDefinitions");
        if (containers.isEmpty()) {
            throw client("Container list cannot be empty.");
        }
        if (containers.size() > MAX_CONTAINERS) {
            throw client("Too many containers.");
        }
        Set<String> volumes = volumes(spec.path("volumes"));
        taskMembers(spec);

        NetworkMode mode = TaskDefinition.networkModeOf(spec);
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (JsonNode c : containers) {
            ContainerRules.check(c, mode, volumes, taskMemory);
            if (byName.putIfAbsent(c.get("name").asText(), c) != null) {
                throw client("Container names must be unique within a Task Definition.");
            }
        }
        acrossContainers(byName, taskCpu, taskMemory);
        launchTypes(spec, mode);
    }

    private static void family(String family) {
        if (family.isEmpty()) {
            throw client("Family should not be null or empty.");
        }
        if (family.length() > MAX_NAME) {
            throw client("Family name must be " + MAX_NAME + " characters or fewer.");
        }
        if (!NAME.matcher(family).matches()) {
            throw client("Family contains invalid characters.");
        }
    }

    private static Set<String> volumes(JsonNode volumes) {
        Set<String> names = new HashSet<>();
        for (JsonNode v : volumes) {
            String name = v.path("name").asText("");
            if (name.isEmpty()) {
                throw client("Volume.name should not be null or empty.");
            }
            if (name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
                throw client("Volume.name contains invalid characters.");
            }
            if (!names.add(name)) {
                throw client("Volume names must be unique within a Task Definition.");
            }
        }
        return names;
    }

    private static void taskMembers(JsonNode spec) {
        if (spec.path("placementConstraints").size() > MAX_PLACEMENT_CONSTRAINTS) {
            throw client("Too many placement constraints. A task definition can have at most "
                    + MAX_PLACEMENT_CONSTRAINTS + ".");
        }
        for (JsonNode pc : spec.path("placementConstraints")) {
            if ("memberOf".equals(pc.path("type").asText()) && pc.path("expression").asText("").isBlank()) {
                throw client("A memberOf placement constraint must have an expression.");
            }
        }
        JsonNode storage = spec.path("ephemeralStorage");
        if (storage.hasNonNull("sizeInGiB")) {
            int size = storage.get("sizeInGiB").asInt();
            if (size < 21 || size > 200) {
                throw client("The ephemeral storage size must be between 21 and 200 GiB.");
            }
        }
        JsonNode proxy = spec.path("proxyConfiguration");
        if (proxy.hasNonNull("containerName")) {
            String target = proxy.get("containerName").asText();
            boolean known = false;
            for (JsonNode c : spec.path("containerDefinitions")) {
                known |= target.equals(c.path("name").asText());
            }
            if (!known) {
                throw client("The proxy configuration container '" + target + "' is not defined in the task"
                        + " definition.");
            }
        }
    }

    private static void acrossContainers(Map<String, JsonNode> byName, OptionalInt taskCpu,
                                         OptionalInt taskMemory) {
        boolean essential = false;
        long cpuSum = 0;
        long reservationSum = 0;
        for (JsonNode c : byName.values()) {
            essential |= c.path("essential").asBoolean(true);
            cpuSum += c.path("cpu").asInt(0);
            reservationSum += c.path("memoryReservation").asInt(0);
        }
        if (!essential) {
            throw client("Task definition doesn't have any essential container.");
        }
        for (JsonNode c : byName.values()) {
            String name = c.get("name").asText();
            for (JsonNode vf : c.path("volumesFrom")) {
                String source = vf.hasNonNull("sourceContainer") ? vf.get("sourceContainer").asText() : "null";
                if (!byName.containsKey(source)) {
                    throw client("Unknown container '" + source + "'.");
                }
                if (source.equals(name)) {
                    throw client("Container '" + name + "' cannot mount volumes from itself.");
                }
            }
            for (JsonNode d : c.path("dependsOn")) {
                String target = d.path("containerName").asText();
                JsonNode dependency = byName.get(target);
                if (dependency == null) {
                    throw client("Cannot depend on container + '" + target + "' because it does not exist");
                }
                if (target.equals(name)) {
                    throw client("Container '" + name + "' cannot depend on itself.");
                }
                String condition = d.path("condition").asText();
                if (!Set.of("START", "COMPLETE", "SUCCESS", "HEALTHY").contains(condition)) {
                    throw client("Invalid dependency condition '" + condition + "' for container '" + name
                            + "'. Valid conditions are START, COMPLETE, SUCCESS and HEALTHY.");
                }
                if ((condition.equals("SUCCESS") || condition.equals("COMPLETE"))
                        && dependency.path("essential").asBoolean(true)) {
                    throw client("A dependency container with SUCCESS or COMPLETE condition cannot be an essential"
                            + " container");
                }
            }
        }
        cycle(byName).ifPresent(path -> {
            throw client("The container dependencies contain a cycle: " + path + ".");
        });
        if (taskCpu.isPresent() && cpuSum > taskCpu.getAsInt()) {
            throw client("The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'.");
        }
        if (taskMemory.isPresent() && reservationSum > taskMemory.getAsInt()) {
            throw client("The sum of all container 'memoryReservation' values cannot be greater than the value of"
                    + " the task 'memory'.");
        }
    }

    /** A dependency cycle as {@code a -> b -> a}, if there is one (the agent could never start it). */
    private static Optional<String> cycle(Map<String, JsonNode> byName) {
        Map<String, Integer> state = new HashMap<>();
        for (String start : byName.keySet()) {
            Optional<String> found = visit(start, byName, state, new ArrayDeque<>());
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> visit(String name, Map<String, JsonNode> byName, Map<String, Integer> state,
                                          Deque<String> path) {
        Integer s = state.get(name);
        if (s != null && s == 2) {
            return Optional.empty();
        }
        path.addLast(name);
        if (s != null) {
            List<String> p = List.copyOf(path);
            return Optional.of(String.join(" -> ", p.subList(p.indexOf(name), p.size())));
        }
        state.put(name, 1);
        for (JsonNode d : byName.get(name).path("dependsOn")) {
            Optional<String> found = visit(d.path("containerName").asText(), byName, state, path);
            if (found.isPresent()) {
                return found;
            }
        }
        state.put(name, 2);
        path.removeLast();
        return Optional.empty();
    }

    private static void launchTypes(JsonNode spec, NetworkMode mode) {
        Set<String> required = new HashSet<>();
        spec.path("requiresCompatibilities").forEach(c -> required.add(c.asText()));
        if (required.contains("FARGATE")) {
            FargateRules.violation(spec).ifPresent(message -> {
                throw client(message);
            });
        }
        if (required.contains("EXTERNAL") && mode == NetworkMode.AWSVPC) {
            throw client("Tasks using the EXTERNAL launch type do not support network mode 'awsvpc'.");
        }
    }

    static BerthException client(String message) {
        return BerthException.client(message);
    }
}
