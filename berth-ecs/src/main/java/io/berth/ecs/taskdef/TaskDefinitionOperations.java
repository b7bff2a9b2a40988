package io.berth.ecs.taskdef;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.aws.json.JsonOperation;
import io.berth.core.error.BerthException;
import io.berth.ecs.EcsJson;
import io.berth.ecs.tag.Tag;
import io.berth.ecs.tag.Tags;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The ECS task definition operations: RegisterTaskDefinition, DescribeTaskDefinition,
 * ListTaskDefinitions, ListTaskDefinitionFamilies, DeregisterTaskDefinition and DeleteTaskDefinitions.
 * Each method is a {@link JsonOperation}; {@link #operations()} names them for the edge. Thread-safe.
 */
public final class TaskDefinitionOperations {
    static final int MAX_RESULTS = 100;
    static final int MAX_DELETE = 10;
    static final String UNKNOWN_IDENTIFIER = "The specified task definition identifier is invalid. Specify a valid"
            + " name or ARN and try again.";
    static final String MISSING = "The specified task definition does not exist. Specify a valid account, family,"
            + " revision and try again.";
    static final String STILL_ACTIVE = "The specified task definition is still in ACTIVE status. Please deregister"
            + " the target and try again.";

    private final TaskDefinitions definitions;
    private final Tags tags;

    public TaskDefinitionOperations(TaskDefinitions definitions, Tags tags) {
        this.definitions = Objects.requireNonNull(definitions);
        this.tags = Objects.requireNonNull(tags);
    }

    /** The operations by their API names. */
    public Map<String, JsonOperation> operations() {
        Map<String, JsonOperation> ops = new LinkedHashMap<>();
        ops.put("RegisterTaskDefinition", this::register);
        ops.put("DescribeTaskDefinition", this::describe);
        ops.put("ListTaskDefinitions", this::list);
        ops.put("ListTaskDefinitionFamilies", this::listFamilies);
        ops.put("DeregisterTaskDefinition", this::deregister);
        ops.put("DeleteTaskDefinitions", this::delete);
        return Map.copyOf(ops);
    }

    public ObjectNode register(RequestContext ctx, ObjectNode input) {
        ObjectNode spec = input.deepCopy();
        spec.remove("tags");
        TaskDefinitionValidator.validate(spec);
        List<Tag> tagList = Tags.parse(input.get("tags"));
        TaskDefinition td = definitions.register(spec, tagList, ctx.callerArn(), ctx.receivedAt(), ctx.account());
        ObjectNode out = EcsJson.object();
        out.set("taskDefinition", TaskDefinitionJson.render(td, ctx.account()));
        if (input.has("tags")) {
            out.set("tags", Tags.toJson(tagList));
        }
        return out;
    }

    public ObjectNode describe(RequestContext ctx, ObjectNode input) {
        String unable = "Unable to describe task definition.";
        TaskDefinitionRef ref = TaskDefinitionRef.parse(input.path("taskDefinition").asText(), ctx.account())
                .orElseThrow(() -> BerthException.client(unable));
        TaskDefinition td = definitions.find(ref).orElseThrow(() -> BerthException.client(unable));
        ObjectNode out = EcsJson.object();
        String arn = td.arn(ctx.account());
        out.set("taskDefinition", TaskDefinitionJson.render(td, ctx.account()));
        boolean withTags = false;
        for (JsonNode field : input.path("include")) {
            withTags |= field.asText().equals("TAGS");
        }
        out.set("tags", withTags ? Tags.toJson(tags.of(arn)) : EcsJson.array());
        return out;
    }

    public ObjectNode list(RequestContext ctx, ObjectNode input) {
        Optional<String> family = text(input, "familyPrefix").filter(f -> !f.isEmpty());
        TaskDefinitionStatus status = TaskDefinitionStatus.valueOf(text(input, "status").orElse("ACTIVE"));
        boolean descending = text(input, "sort").orElse("ASC").equals("DESC");
        Page<TaskDefinition> page = definitions.list(family, status, descending, maxResults(input),
                text(input, "nextToken"));
        ObjectNode out = EcsJson.object();
        ArrayNode arns = out.putArray("taskDefinitionArns");
        page.items().forEach(td -> arns.add(td.arn(ctx.account())));
        page.nextToken().ifPresent(t -> out.put("nextToken", t));
        return out;
    }

    public ObjectNode listFamilies(RequestContext ctx, ObjectNode input) {
        String status = text(input, "status").orElse("ALL");
        Page<String> page = definitions.listFamilies(text(input, "familyPrefix").orElse(""),
                status.equals("ALL") ? null : TaskDefinitionStatus.valueOf(status), maxResults(input),
                text(input, "nextToken"));
        ObjectNode out = EcsJson.object();
        ArrayNode families = out.putArray("families");
        page.items().forEach(families::add);
        page.nextToken().ifPresent(t -> out.put("nextToken", t));
        return out;
    }

    public ObjectNode deregister(RequestContext ctx, ObjectNode input) {
        String unable = "Unable to deregister task definition.";
        TaskDefinitionRef ref = TaskDefinitionRef.parse(input.path("taskDefinition").asText(), ctx.account())
                .orElseThrow(() -> BerthException.client(unable));
        if (ref.revision().isEmpty()) {
            throw BerthException.client("A revision must be specified to deregister a task definition: use"
                    + " family:revision or the full ARN.");
        }
        TaskDefinition td = definitions.deregister(ref.family(), ref.revision().getAsInt(), ctx.receivedAt())
                .orElseThrow(() -> BerthException.client(unable));
        ObjectNode out = EcsJson.object();
        out.set("taskDefinition", TaskDefinitionJson.render(td, ctx.account()));
        return out;
    }

    public ObjectNode delete(RequestContext ctx, ObjectNode input) {
        JsonNode requested = input.path("taskDefinitions");
        if (requested.isEmpty() || requested.size() > MAX_DELETE) {
            throw BerthException.invalidParameter("taskDefinitions must name between 1 and " + MAX_DELETE
                    + " task definitions.");
        }
        ObjectNode out = EcsJson.object();
        ArrayNode deleted = out.putArray("taskDefinitions");
        ArrayNode failures = out.putArray("failures");
        for (JsonNode item : requested) {
            String id = item.asText();
            Optional<TaskDefinitionRef> ref;
            try {
                ref = TaskDefinitionRef.parse(id, ctx.account());
            } catch (BerthException e) {
                ref = Optional.empty();
            }
            if (ref.isEmpty() || ref.get().revision().isEmpty()) {
                failures.addObject().put("arn", id).put("reason", UNKNOWN_IDENTIFIER);
                continue;
            }
            String family = ref.get().family();
            int revision = ref.get().revision().getAsInt();
            String arn = ctx.account().arn("ecs", "task-definition/" + family + ":" + revision).toString();
            switch (definitions.requestDelete(family, revision, ctx.receivedAt())) {
                case TaskDefinitions.Deletion.Deleted d ->
                        deleted.add(TaskDefinitionJson.render(d.definition(), ctx.account()));
                case TaskDefinitions.Deletion.Missing m -> failures.addObject().put("arn", arn).put("reason", MISSING);
                case TaskDefinitions.Deletion.StillActive a ->
                        failures.addObject().put("arn", arn).put("reason", STILL_ACTIVE);
            }
        }
        return out;
    }

    private static int maxResults(ObjectNode input) {
        if (!input.hasNonNull("maxResults")) {
            return MAX_RESULTS;
        }
        int n = input.get("maxResults").asInt();
        if (n < 1 || n > MAX_RESULTS) {
            throw BerthException.invalidParameter("maxResults must be between 1 and " + MAX_RESULTS + ".");
        }
        return n;
    }

    private static Optional<String> text(ObjectNode input, String field) {
        return Optional.ofNullable(TaskDefinition.text(input, field));
    }
}
