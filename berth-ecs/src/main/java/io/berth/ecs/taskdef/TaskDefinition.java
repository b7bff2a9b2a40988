package io.berth.ecs.taskdef;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.arn.Account;
import io.berth.ecs.EcsJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One registered task definition revision, as stored in kind {@value #KIND} under
 * {@link #key(String, int)}.
 *
 * <p>{@code spec} holds the RegisterTaskDefinition request exactly as it was registered (every member
 * but {@code tags}); what AWS adds on output (ARN, defaults, compatibilities, ...) is derived by
 * {@link TaskDefinitionJson}. The typed accessors read the spec with AWS's defaults applied. The
 * record is immutable: the spec is copied in and out.
 *
 * @param deregisteredAt when DeregisterTaskDefinition made it INACTIVE
 * @param deleteRequestedAt when DeleteTaskDefinitions made it DELETE_IN_PROGRESS
 * @param registeredBy the principal ARN that registered it
 */
public record TaskDefinition(String family, int revision, TaskDefinitionStatus status, Instant registeredAt,
                             Optional<Instant> deregisteredAt, Optional<Instant> deleteRequestedAt,
                             String registeredBy, ObjectNode spec) {

    /** Store kind of revisions, keyed by {@link #key(String, int)}. */
    public static final String KIND = "ecs-taskdef";

    public TaskDefinition {
        Objects.requireNonNull(family);
        Objects.requireNonNull(status);
        Objects.requireNonNull(registeredAt);
        Objects.requireNonNull(deregisteredAt);
        Objects.requireNonNull(deleteRequestedAt);
        Objects.requireNonNull(registeredBy);
        if (revision < 1) {
            throw new IllegalArgumentException("revision must be >= 1: " + revision);
        }
        spec = spec.deepCopy();
        spec.remove("tags");
        spec.put("family", family);
    }

    /**
     * The store key: the family, a colon (never part of a family name) and the revision zero-padded
     * to 10 digits, so that a prefix scan of {@code family + ":"} yields one family in revision order.
     */
    public static String key(String family, int revision) {
        return family + ":" + String.format("%010d", revision);
    }

    public String key() {
        return key(family, revision);
    }

    /** {@code family:revision}, the resource part of the ARN after {@code task-definition/}. */
    public String familyRevision() {
        return family + ":" + revision;
    }

    public String arn(Account account) {
        return account.arn("ecs", "task-definition/" + familyRevision()).toString();
    }

    /** A copy of the registered definition. */
    @Override
    public ObjectNode spec() {
        return spec.deepCopy();
    }

    public TaskDefinition withDeregistered(Instant at) {
        return new TaskDefinition(family, revision, TaskDefinitionStatus.INACTIVE, registeredAt, Optional.of(at),
                deleteRequestedAt, registeredBy, spec);
    }

    public TaskDefinition withDeleteRequested(Instant at) {
        return new TaskDefinition(family, revision, TaskDefinitionStatus.DELETE_IN_PROGRESS, registeredAt,
                deregisteredAt, Optional.of(at), registeredBy, spec);
    }

    /** Task CPU units ({@code "1 vCPU"} is 1024), if the task sets them. */
    public OptionalInt taskCpu() {
        return TaskSize.cpuOf(text(spec, "cpu"));
    }

    /** Task memory in MiB ({@code "2 GB"} is 2048), if the task sets it. */
    public OptionalInt taskMemory() {
        return TaskSize.memoryOf(text(spec, "memory"));
    }

    /** The network mode; bridge when none was registered (AWS's default for Linux). */
    public NetworkMode networkMode() {
        return networkModeOf(spec);
    }

    /** The launch types the definition was registered to validate against; empty if none given. */
    public List<Compatibility> requiresCompatibilities() {
        List<Compatibility> result = new ArrayList<>();
        for (JsonNode c : spec.path("requiresCompatibilities")) {
            Compatibility.fromWire(c.asText()).ifPresent(result::add);
        }
        return List.copyOf(result);
    }

    /** The launch types the definition validates against (AWS's {@code compatibilities}). */
    public List<Compatibility> compatibilities() {
        return Compatibilities.of(spec);
    }

    public List<String> containerNames() {
        List<String> names = new ArrayList<>();
        for (JsonNode c : spec.path("containerDefinitions")) {
            names.add(c.path("name").asText());
        }
        return List.copyOf(names);
    }

    public List<ContainerSpec> containers() {
        NetworkMode mode = networkMode();
        List<ContainerSpec> result = new ArrayList<>();
        for (JsonNode c : spec.path("containerDefinitions")) {
            result.add(ContainerSpec.of(c, mode));
        }
        return List.copyOf(result);
    }

    static NetworkMode networkModeOf(JsonNode spec) {
        return NetworkMode.fromWire(spec.path("networkMode").asText()).orElse(NetworkMode.BRIDGE);
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The stored form. */
    byte[] encode() {
        ObjectNode out = EcsJson.object();
        out.put("family", family);
        out.put("revision", revision);
        out.put("status", status.name());
        out.put("registeredAt", registeredAt.toEpochMilli());
        deregisteredAt.ifPresent(t -> out.put("deregisteredAt", t.toEpochMilli()));
        deleteRequestedAt.ifPresent(t -> out.put("deleteRequestedAt", t.toEpochMilli()));
        out.put("registeredBy", registeredBy);
        out.set("spec", spec);
        return EcsJson.encode(out);
    }

    static TaskDefinition decode(byte[] bytes) {
        ObjectNode in = EcsJson.decode(bytes, ObjectNode.class);
        return new TaskDefinition(in.get("family").asText(), in.get("revision").asInt(),
                TaskDefinitionStatus.valueOf(in.get("status").asText()),
                Instant.ofEpochMilli(in.get("registeredAt").asLong()), instant(in, "deregisteredAt"),
                instant(in, "deleteRequestedAt"), in.get("registeredBy").asText(), (ObjectNode) in.get("spec"));
    }

    private static Optional<Instant> instant(JsonNode node, String field) {
        return node.hasNonNull(field) ? Optional.of(Instant.ofEpochMilli(node.get(field).asLong())) : Optional.empty();
    }
}
