package io.berth.lb.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.core.store.Mutation;
import io.berth.lb.LbError;
import io.berth.lb.model.Tag;
import io.berth.lb.state.Kind;
import io.berth.lb.state.LbState;
import io.berth.lb.state.TagSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** AddTags, RemoveTags, DescribeTags over load balancers, target groups, listeners and rules. Thread-safe. */
final class Tagging {
    private final Lookup lookup;

    Tagging(Lookup lookup) {
        this.lookup = lookup;
    }

    /** The mutation that gives a new resource its tags, or none. */
    static Optional<Mutation> initial(String arn, List<Tag> tags) {
        Checks.tags(tags);
        return tags.isEmpty() ? Optional.empty() : Optional.of(LbState.put(Kind.TAGS, arn, new TagSet(tags)));
    }

    static Mutation removeAll(String arn) {
        return LbState.remove(Kind.TAGS, arn);
    }

    List<Tag> of(String arn) {
        return lookup.state().value(Kind.TAGS, arn).map(TagSet::tags).orElse(List.of());
    }

    private void requireExists(String arn) {
        boolean exists = switch (arn.contains(":") ? resourceType(arn) : "") {
            case "loadbalancer" -> lookup.loadBalancer(arn).isPresent();
            case "targetgroup" -> lookup.targetGroup(arn).isPresent();
            case "listener" -> lookup.listener(arn).isPresent();
            case "listener-rule" -> lookup.rule(arn).isPresent();
            default -> throw new io.berth.core.error.BerthException(io.berth.core.error.ErrorCode.VALIDATION,
                    "'" + arn + "' is not a valid resource ARN");
        };
        if (!exists) {
            throw switch (resourceType(arn)) {
                case "loadbalancer" -> LbError.LOAD_BALANCER_NOT_FOUND.exception("Load balancer '" + arn + "' not found");
                case "targetgroup" -> LbError.TARGET_GROUP_NOT_FOUND.exception("Target group '" + arn + "' not found");
                case "listener" -> LbError.LISTENER_NOT_FOUND.exception("Listener '" + arn + "' not found");
                default -> LbError.RULE_NOT_FOUND.exception("Rule '" + arn + "' not found");
            };
        }
    }

    private static String resourceType(String arn) {
        String[] parts = arn.split(":", 6);
        if (parts.length < 6) {
            return "";
        }
        int slash = parts[5].indexOf('/');
        return slash < 0 ? parts[5] : parts[5].substring(0, slash);
    }

    ObjectNode addTags(RequestContext context, ObjectNode input) {
        List<Tag> added = Wire.tags(input, "Tags");
        Checks.tags(added);
        for (String arn : Wire.strings(input, "ResourceArns")) {
            requireExists(arn);
            lookup.state().retry(() -> {
                Optional<LbState.Read<TagSet>> read = lookup.state().get(Kind.TAGS, arn);
                Map<String, String> merged = new LinkedHashMap<>();
                read.ifPresent(r -> r.value().tags().forEach(t -> merged.put(t.key(), t.value())));
                added.forEach(t -> merged.put(t.key(), t.value()));
                List<Tag> tags = new ArrayList<>();
                merged.forEach((k, v) -> tags.add(new Tag(k, v)));
                if (tags.size() > Checks.MAX_TAGS) {
                    throw LbError.TOO_MANY_TAGS.exception("You cannot have more than " + Checks.MAX_TAGS
                            + " tags per resource");
                }
                lookup.state().commit(List.of(read.map(r -> r.update(new TagSet(tags)))
                        .orElseGet(() -> LbState.create(Kind.TAGS, arn, new TagSet(tags)))));
                return null;
            });
        }
        return Wire.object();
    }

    ObjectNode removeTags(RequestContext context, ObjectNode input) {
        List<String> keys = Wire.strings(input, "TagKeys");
        for (String arn : Wire.strings(input, "ResourceArns")) {
            requireExists(arn);
            lookup.state().retry(() -> {
                lookup.state().get(Kind.TAGS, arn).ifPresent(read -> {
                    List<Tag> kept = read.value().tags().stream().filter(t -> !keys.contains(t.key())).toList();
                    lookup.state().commit(List.of(kept.isEmpty() ? read.delete() : read.update(new TagSet(kept))));
                });
                return null;
            });
        }
        return Wire.object();
    }

    ObjectNode describeTags(RequestContext context, ObjectNode input) {
        ArrayNode descriptions = Wire.array();
        for (String arn : Wire.strings(input, "ResourceArns")) {
            requireExists(arn);
            ObjectNode d = Wire.object().put("ResourceArn", arn);
            d.set("Tags", Wire.tags(of(arn)));
            descriptions.add(d);
        }
        ObjectNode out = Wire.object();
        out.set("TagDescriptions", descriptions);
        return out;
    }
}
