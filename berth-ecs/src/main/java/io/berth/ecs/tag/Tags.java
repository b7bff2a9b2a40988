package io.berth.ecs.tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.berth.core.error.BerthException;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.Versioned;
import io.berth.ecs.EcsJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tags of ECS resources, kept by resource ARN in store kind {@value #KIND} so that TagResource works
 * the same for every resource type. Writers that create a resource with tags put the tag record in
 * the same transaction ({@link #create}).
 */
public final class Tags {
    public static final String KIND = "ecs-tags";
    public static final int MAX_TAGS = 50;

    private final StateStore store;

    public Tags(StateStore store) {
        this.store = store;
    }

    /** Parses and validates the {@code tags} member of a request (AWS's tag rules). */
    public static List<Tag> parse(JsonNode tags) {
        if (tags == null || tags.isNull()) {
            return List.of();
        }
        List<Tag> result = new ArrayList<>();
        for (JsonNode t : tags) {
            JsonNode key = t.get("key");
            if (key == null || key.asText().isEmpty()) {
                throw BerthException.invalidParameter("The key of a tag must not be empty.");
            }
            String k = key.asText();
            String v = t.hasNonNull("value") ? t.get("value").asText() : "";
            if (k.length() > 128) {
                throw BerthException.invalidParameter("Tag keys must be 128 characters or fewer.");
            }
            if (v.length() > 256) {
                throw BerthException.invalidParameter("Tag values must be 256 characters or fewer.");
            }
            if (k.regionMatches(true, 0, "aws:", 0, 4)) {
                throw BerthException.invalidParameter("Tag keys may not begin with aws: (a reserved prefix).");
            }
            result.add(new Tag(k, v));
        }
        Map<String, Tag> unique = new LinkedHashMap<>();
        result.forEach(t -> unique.put(t.key(), t));
        if (unique.size() > MAX_TAGS) {
            throw BerthException.invalidParameter("A resource may have at most " + MAX_TAGS + " tags.");
        }
        return List.copyOf(unique.values());
    }

    public static ArrayNode toJson(List<Tag> tags) {
        ArrayNode array = EcsJson.array();
        for (Tag t : tags) {
            array.addObject().put("key", t.key()).put("value", t.value());
        }
        return array;
    }

    public List<Tag> of(String arn) {
        return store.get(KIND, arn).map(v -> List.of(EcsJson.decode(v.value(), Tag[].class))).orElse(List.of());
    }

    /** The mutation that records the tags of a resource being created (nothing when empty). */
    public static Optional<Mutation> create(String arn, List<Tag> tags) {
        if (tags.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Mutation.Put(KIND, arn, Mutation.ANY, EcsJson.encode(tags)));
    }

    /** The mutation that replaces the tag set of {@code arn} with {@code tags} given what was read. */
    public Mutation replace(String arn, Optional<Versioned> read, List<Tag> tags) {
        if (tags.isEmpty()) {
            return read.<Mutation>map(Mutation::delete).orElse(new Mutation.Delete(KIND, arn, Mutation.ANY));
        }
        long expected = read.map(Versioned::version).orElse(Mutation.ABSENT);
        return new Mutation.Put(KIND, arn, expected, EcsJson.encode(tags));
    }

    /** The mutation that drops every tag of a deleted resource. */
    public static Mutation remove(String arn) {
        return new Mutation.Delete(KIND, arn, Mutation.ANY);
    }
}
