package io.berth.agent.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.agent.engine.ContainerPhase;
import io.berth.agent.engine.ContainerRecord;
import io.berth.agent.engine.TaskRecord;
import io.berth.agent.logs.AwsLogsOptions;
import io.berth.core.runtime.ContainerRuntime;
import io.berth.core.runtime.ContainerState;
import io.berth.core.runtime.RuntimeFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON of the task metadata endpoint v4 (the ECS agent's {@code TaskResponse} and
 * {@code ContainerResponse}), from the engine's records and the engine's view of each container.
 */
final class MetadataResponses {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private final ContainerRuntime runtime;
    private final String availabilityZone;

    MetadataResponses(ContainerRuntime runtime, String availabilityZone) {
        this.runtime = runtime;
        this.availabilityZone = availabilityZone;
    }

    /**
     * One container's metadata.
     *
     * @param callerAddress the address the request came from, reported as the container's address in
     *     bridge mode when the container asks about itself; null otherwise
     */
    ObjectNode container(TaskRecord t, ContainerRecord c, String callerAddress) {
        JsonNode definition = definition(t, c.name());
        Optional<ContainerState> state = inspect(c.runtimeId());
        ObjectNode o = JSON.createObjectNode();
        if (c.runtimeId() != null) {
            o.put("DockerId", c.runtimeId());
        }
        o.put("Name", c.name());
        o.put("DockerName", c.hostName() != null ? c.hostName() : state.map(ContainerState::name).orElse(""));
        o.put("Image", definition.path("image").asText(c.plan() == null ? "" : c.plan().image()));
        state.map(ContainerState::imageId).ifPresent(id -> o.put("ImageID", id));
        if (!c.ports().isEmpty()) {
            ArrayNode ports = o.putArray("Ports");
            c.ports().forEach(p -> {
                ObjectNode port = ports.addObject().put("ContainerPort", p.containerPort())
                        .put("Protocol", p.protocol()).put("HostPort", p.hostPort());
                if (p.hostIp() != null && !p.hostIp().isEmpty()) {
                    port.put("HostIp", p.hostIp());
                }
            });
        }
        state.ifPresent(s -> {
            ObjectNode labels = o.putObject("Labels");
            new java.util.TreeMap<>(s.labels()).forEach((k, v) -> {
                if (!k.startsWith("berth.")) {
                    labels.put(k, v);
                }
            });
        });
        o.put("DesiredStatus", t.stopWanted() ? "STOPPED" : "RUNNING");
        // the engine learns of a start a moment after the container runs (and may already ask)
        boolean runs = state.map(ContainerState::running).orElse(false) && c.phase().compareTo(ContainerPhase.RUNNING) < 0;
        o.put("KnownStatus", runs ? "RUNNING" : knownStatus(c.phase()));
        if (c.exitCode() != null) {
            o.put("ExitCode", c.exitCode());
        }
        ObjectNode limits = o.putObject("Limits");
        limits.put("CPU", definition.path("cpu").asInt(0));
        if (definition.hasNonNull("memory")) {
            limits.put("Memory", definition.path("memory").asInt());
        } else if (definition.hasNonNull("memoryReservation")) {
            limits.put("Memory", definition.path("memoryReservation").asInt());
        }
        state.map(ContainerState::createdAt).ifPresent(at -> o.put("CreatedAt", time(at)));
        Instant started = c.startedAt() != null ? c.startedAt() : state.map(ContainerState::startedAt).orElse(null);
        if (started != null) {
            o.put("StartedAt", time(started));
        }
        if (c.finishedAt() != null) {
            o.put("FinishedAt", time(c.finishedAt()));
        }
        o.put("Type", "NORMAL");
        JsonNode logConfiguration = definition.path("logConfiguration");
        if (logConfiguration.hasNonNull("logDriver")) {
            o.put("LogDriver", logConfiguration.path("logDriver").asText());
            ObjectNode options = o.putObject("LogOptions");
            logConfiguration.path("options").fields().forEachRemaining(e -> options.put(e.getKey(),
                    e.getValue().asText()));
            AwsLogsOptions.of(logConfiguration).ifPresent(a -> {
                if (c.runtimeId() != null) {
                    options.put("awslogs-stream", a.streamName(t.taskArn(), c.name(), c.runtimeId()));
                }
            });
        }
        if (c.plan() != null && c.plan().hasHealthCheck()) {
            o.putObject("Health").put("status", c.health());
        }
        String mode = t.spec() == null || t.spec().networkMode() == null ? "bridge" : t.spec().networkMode();
        ObjectNode network = o.putArray("Networks").addObject().put("NetworkMode", mode);
        if (callerAddress != null && "bridge".equals(mode)) {
            network.putArray("IPv4Addresses").add(callerAddress);
        }
        return o;
    }

    /** The task's metadata with each container's. */
    ObjectNode task(TaskRecord t, String callerContainer, String callerAddress, Map<String, String> taskTags,
                    Map<String, String> instanceTags) {
        JsonNode td = taskDefinition(t);
        ObjectNode o = JSON.createObjectNode();
        o.put("Cluster", clusterArn(t));
        o.put("TaskARN", t.taskArn());
        o.put("Family", t.spec() != null ? t.spec().family() : t.desired() == null ? "" : t.desired().family());
        o.put("Revision", t.spec() != null ? t.spec().revision() : t.desired() == null ? "" : t.desired().revision());
        o.put("DesiredStatus", t.stopWanted() ? "STOPPED" : "RUNNING");
        o.put("KnownStatus", t.phase().wire());
        Double cpu = number(td.get("cpu"));
        Double memory = number(td.get("memory"));
        if (cpu != null || memory != null) {
            ObjectNode limits = o.putObject("Limits");
            if (cpu != null) {
                limits.put("CPU", cpu / 1024.0);
            }
            if (memory != null) {
                limits.put("Memory", memory.longValue());
            }
        }
        if (t.pullStartedAt() != null) {
            o.put("PullStartedAt", time(t.pullStartedAt()));
        }
        if (t.pullStoppedAt() != null) {
            o.put("PullStoppedAt", time(t.pullStoppedAt()));
        }
        if (t.executionStoppedAt() != null) {
            o.put("ExecutionStoppedAt", time(t.executionStoppedAt()));
        }
        o.put("AvailabilityZone", availabilityZone);
        o.put("LaunchType", "EC2");
        ArrayNode containers = o.putArray("Containers");
        for (ContainerRecord c : t.containers()) {
            containers.add(container(t, c, c.name().equals(callerContainer) ? callerAddress : null));
        }
        if (taskTags != null) {
            ObjectNode tags = o.putObject("TaskTags");
            taskTags.forEach(tags::put);
        }
        if (instanceTags != null) {
            ObjectNode tags = o.putObject("ContainerInstanceTags");
            instanceTags.forEach(tags::put);
        }
        o.put("FaultInjectionEnabled", false);
        return o;
    }

    /** The task's cluster as an ARN (the v4 documentation's form), from the task ARN's partition, region and account. */
    static String clusterArn(TaskRecord t) {
        String cluster = t.desired() == null ? null : t.desired().cluster();
        String arn = t.taskArn();
        if (cluster != null && cluster.startsWith("arn:")) {
            return cluster;
        }
        int task = arn.indexOf(":task/");
        if (task < 0) {
            return cluster == null ? "" : cluster;
        }
        String name = cluster != null ? cluster : arn.substring(task + 6, arn.lastIndexOf('/'));
        return arn.substring(0, task) + ":cluster/" + name;
    }

    /** The ECS agent's container known statuses. */
    static String knownStatus(ContainerPhase phase) {
        return switch (phase) {
            case NONE, PULLING -> "NONE";
            case PULLED, CREATING -> "PULLED";
            case CREATED, STARTING -> "CREATED";
            case RUNNING, STOPPING -> "RUNNING";
            case STOPPED -> "STOPPED";
        };
    }

    private Optional<ContainerState> inspect(String runtimeId) {
        if (runtimeId == null) {
            return Optional.empty();
        }
        try {
            return runtime.inspect(runtimeId, CALL_TIMEOUT);
        } catch (RuntimeFailure f) {
            return Optional.empty();
        }
    }

    static JsonNode taskDefinition(TaskRecord t) {
        if (t.desired() == null || t.desired().taskDefinitionJson() == null) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(t.desired().taskDefinitionJson());
        } catch (java.io.IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static JsonNode definition(TaskRecord t, String name) {
        for (JsonNode c : taskDefinition(t).path("containerDefinitions")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        return JSON.createObjectNode();
    }

    private static Double number(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        try {
            return Double.valueOf(n.asText().strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String time(Instant at) {
        return at.toString();
    }
}
