package io.berth.ecs.taskdef;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.ecs.EcsJson;
import java.util.Objects;

/**
 * A task definition family as stored in kind {@value #KIND} under its name: the last revision number
 * handed out (revisions are never reused, even after deletion) and how many of its revisions are in
 * each status. Every write that adds a revision or changes a revision's status commits the family
 * record with it, under version expectations, so the counts stay exact and concurrent registrations
 * get distinct revisions. The record outlives its revisions.
 */
public record TaskDefinitionFamily(String name, int lastRevision, int active, int inactive, int deleting) {

    /** Store kind of families, keyed by family name. */
    public static final String KIND = "ecs-taskdef-family";

    public TaskDefinitionFamily {
        Objects.requireNonNull(name);
        if (lastRevision < 0 || active < 0 || inactive < 0 || deleting < 0) {
            throw new IllegalArgumentException("negative revision or count in family " + name);
        }
    }

    public static TaskDefinitionFamily empty(String name) {
        return new TaskDefinitionFamily(name, 0, 0, 0, 0);
    }

    /** The family after registering revision {@code lastRevision + 1} (ACTIVE). */
    public TaskDefinitionFamily withRegistered() {
        return new TaskDefinitionFamily(name, lastRevision + 1, active + 1, inactive, deleting);
    }

    /** The family after one of its revisions went from {@code from} to {@code to}. */
    public TaskDefinitionFamily withTransition(TaskDefinitionStatus from, TaskDefinitionStatus to) {
        return withCount(from, -1).withCount(to, +1);
    }

    /** The family after a revision in {@code status} was removed for good. */
    public TaskDefinitionFamily withRemoved(TaskDefinitionStatus status) {
        return withCount(status, -1);
    }

    private TaskDefinitionFamily withCount(TaskDefinitionStatus status, int delta) {
        return switch (status) {
            case ACTIVE -> new TaskDefinitionFamily(name, lastRevision, active + delta, inactive, deleting);
            case INACTIVE -> new TaskDefinitionFamily(name, lastRevision, active, inactive + delta, deleting);
            case DELETE_IN_PROGRESS -> new TaskDefinitionFamily(name, lastRevision, active, inactive,
                    deleting + delta);
        };
    }

    /** Revisions that still exist in any status. */
    public int existing() {
        return active + inactive + deleting;
    }

    public int count(TaskDefinitionStatus status) {
        return switch (status) {
            case ACTIVE -> active;
            case INACTIVE -> inactive;
            case DELETE_IN_PROGRESS -> deleting;
        };
    }

    byte[] encode() {
        ObjectNode out = EcsJson.object();
        out.put("name", name);
        out.put("lastRevision", lastRevision);
        out.put("active", active);
        out.put("inactive", inactive);
        out.put("deleting", deleting);
        return EcsJson.encode(out);
    }

    static TaskDefinitionFamily decode(byte[] bytes) {
        ObjectNode in = EcsJson.decode(bytes, ObjectNode.class);
        return new TaskDefinitionFamily(in.get("name").asText(), in.get("lastRevision").asInt(),
                in.path("active").asInt(), in.path("inactive").asInt(), in.path("deleting").asInt());
    }
}
