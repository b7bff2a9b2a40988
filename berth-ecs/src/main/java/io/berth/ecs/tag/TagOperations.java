package io.berth.ecs.tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.core.arn.Account;
import io.berth.core.arn.Arn;
import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import io.berth.core.store.ConflictException;
import io.berth.core.store.StateStore;
import io.berth.core.store.Versioned;
import io.berth.ecs.EcsJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * TagResource, UntagResource and ListTagsForResource for every ECS resource type. Each resource type
 * registers how to tell whether an ARN names a live resource.
 */
public final class TagOperations {
    private final StateStore store;
    private final Tags tags;
    private final Account account;
    private final Map<String, Predicate<Arn>> resourceTypes = new LinkedHashMap<>();

    public TagOperations(StateStore store, Tags tags, Account account) {
        this.store = store;
        this.tags = tags;
        this.account = account;
    }

    /** Makes resources of {@code type} (the ARN's resource type, e.g. {@code cluster}) taggable. */
    public TagOperations resourceType(String type, Predicate<Arn> exists) {
        resourceTypes.put(type, exists);
        return this;
    }

    public ObjectNode tagResource(RequestContext ctx, ObjectNode in) {
        String arn = resolve(in.get("resourceArn").asText());
        List<Tag> added = Tags.parse(in.get("tags"));
        change(arn, current -> {
            Map<String, Tag> merged = new LinkedHashMap<>();
            current.forEach(t -> merged.put(t.key(), t));
            added.forEach(t -> merged.put(t.key(), t));
            if (merged.size() > Tags.MAX_TAGS) {
                throw BerthException.invalidParameter("A resource may have at most " + Tags.MAX_TAGS + " tags.");
            }
            return List.copyOf(merged.values());
        });
        return EcsJson.object();
    }

    public ObjectNode untagResource(RequestContext ctx, ObjectNode in) {
        String arn = resolve(in.get("resourceArn").asText());
        Set<String> keys = new HashSet<>();
        in.path("tagKeys").forEach(k -> keys.add(k.asText()));
        change(arn, current -> current.stream().filter(t -> !keys.contains(t.key())).toList());
        return EcsJson.object();
    }

    public ObjectNode listTagsForResource(RequestContext ctx, ObjectNode in) {
        String arn = resolve(in.get("resourceArn").asText());
        ObjectNode out = EcsJson.object();
        out.set("tags", Tags.toJson(tags.of(arn)));
        return out;
    }

    private interface TagChange {
        List<Tag> apply(List<Tag> current);
    }

    private void change(String arn, TagChange change) {
        for (int attempt = 0; ; attempt++) {
            Optional<Versioned> read = store.get(Tags.KIND, arn);
            List<Tag> current = read.map(v -> List.of(EcsJson.decode(v.value(), Tag[].class))).orElse(List.of());
            List<Tag> next = new ArrayList<>(change.apply(current));
            try {
                store.commit(List.of(tags.replace(arn, read, next)), Duration.ofSeconds(10));
                return;
            } catch (ConflictException e) {
                if (attempt > 8) {
                    throw e;
                }
            }
        }
    }

    private String resolve(String text) {
        Arn arn = Arn.parse(text).filter(a -> "ecs".equals(a.service()))
                .orElseThrow(() -> BerthException.invalidParameter("Invalid identifier: Unexpected ARN format: " + text));
        Predicate<Arn> exists = resourceTypes.get(arn.resourceType());
        if (exists == null) {
            throw BerthException.invalidParameter("The specified resource type " + arn.resourceType()
                    + " is not supported for tagging.");
        }
        if (!account.accountId().equals(arn.account()) || !exists.test(arn)) {
            if ("cluster".equals(arn.resourceType())) {
                throw new BerthException(ErrorCode.CLUSTER_NOT_FOUND, "Cluster not found.");
            }
            throw new BerthException(ErrorCode.RESOURCE_NOT_FOUND, "The specified resource is not found.");
        }
        return arn.toString();
    }
}
