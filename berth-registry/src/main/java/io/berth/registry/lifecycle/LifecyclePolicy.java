package io.berth.registry.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.registry.RegistryJson;
import io.berth.registry.error.RegistryError;
import io.berth.registry.error.RegistryException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A repository's lifecycle policy: its rules, parsed from the policy text and checked as ECR checks
 * them (unique priorities; {@code tagged} needs a prefix or pattern list, and not both; {@code
 * untagged} and {@code any} take none; an {@code any} rule has the highest priority value; at most
 * one rule selects untagged images; at most four wildcards per pattern; {@code sinceImagePushed}
 * needs {@code countUnit: days}, {@code imageCountMoreThan} takes no unit; the action is
 * {@code expire}). Refusals are INVALID_PARAMETER with ECR's "Lifecycle policy validation failure".
 */
public record LifecyclePolicy(List<LifecycleRule> rules) {
    public LifecyclePolicy {
        rules = rules.stream().sorted(Comparator.comparingInt(LifecycleRule::priority)).toList();
    }

    public static LifecyclePolicy parse(String text) {
        JsonNode root;
        try {
            root = RegistryJson.MAPPER.readTree(text);
        } catch (IOException e) {
            throw invalid("the policy is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw invalid("the policy must be a JSON object");
        }
        JsonNode rulesNode = root.get("rules");
        if (rulesNode == null || !rulesNode.isArray()) {
            throw invalid("object has missing required properties ([\"rules\"])");
        }
        if (rulesNode.isEmpty()) {
            throw invalid("array is too short: must have at least 1 elements but instance has 0 elements");
        }
        List<LifecycleRule> rules = new ArrayList<>();
        Set<Integer> priorities = new HashSet<>();
        for (JsonNode r : rulesNode) {
            LifecycleRule rule = rule(r);
            if (!priorities.add(rule.priority())) {
                throw invalid("The rule priority " + rule.priority() + " is not unique: rule priorities must be unique");
            }
            rules.add(rule);
        }
        LifecyclePolicy policy = new LifecyclePolicy(rules);
        int max = policy.rules().get(policy.rules().size() - 1).priority();
        for (LifecycleRule rule : policy.rules()) {
            if (rule.tagStatus() == LifecycleRule.TagStatus.ANY && rule.priority() != max) {
                throw invalid("A rule with tagStatus 'any' must have the highest rulePriority value");
            }
        }
        if (policy.rules().stream().filter(r -> r.tagStatus() == LifecycleRule.TagStatus.UNTAGGED).count() > 1) {
            throw invalid("Only one rule may select untagged images");
        }
        return policy;
    }

    private static LifecycleRule rule(JsonNode r) {
        if (!r.isObject()) {
            throw invalid("each rule must be an object");
        }
        List<String> missing = new ArrayList<>();
        for (String field : List.of("rulePriority", "selection", "action")) {
            if (!r.has(field)) {
                missing.add("\"" + field + "\"");
            }
        }
        if (!missing.isEmpty()) {
            throw invalid("object has missing required properties (" + missing + ")");
        }
        JsonNode priorityNode = r.get("rulePriority");
        if (!priorityNode.isIntegralNumber() || priorityNode.asLong() < 1 || priorityNode.asLong() > Integer.MAX_VALUE) {
            throw invalid("rulePriority must be an integer greater than or equal to 1");
        }
        int priority = priorityNode.asInt();
        String description = r.hasNonNull("description") ? r.get("description").asText() : null;
        JsonNode s = r.get("selection");
        if (!s.isObject()) {
            throw invalid("selection must be an object");
        }
        missing.clear();
        for (String field : List.of("tagStatus", "countType", "countNumber")) {
            if (!s.has(field)) {
                missing.add("\"" + field + "\"");
            }
        }
        if (!missing.isEmpty()) {
            throw invalid("object has missing required properties (" + missing + ")");
        }
        LifecycleRule.TagStatus tagStatus = switch (s.get("tagStatus").asText()) {
            case "tagged" -> LifecycleRule.TagStatus.TAGGED;
            case "untagged" -> LifecycleRule.TagStatus.UNTAGGED;
            case "any" -> LifecycleRule.TagStatus.ANY;
            default -> throw invalid("instance value (\"" + s.get("tagStatus").asText()
                    + "\") not found in enum (possible values: [\"tagged\",\"untagged\",\"any\"])");
        };
        List<String> prefixes = strings(s.get("tagPrefixList"), "tagPrefixList");
        List<String> patterns = strings(s.get("tagPatternList"), "tagPatternList");
        if (tagStatus == LifecycleRule.TagStatus.TAGGED) {
            if (prefixes.isEmpty() && patterns.isEmpty()) {
                throw invalid("tagPrefixList or tagPatternList is required when tagStatus is tagged");
            }
            if (!prefixes.isEmpty() && !patterns.isEmpty()) {
                throw invalid("tagPrefixList and tagPatternList cannot both be used in one rule");
            }
        } else if (!prefixes.isEmpty() || !patterns.isEmpty()) {
            throw invalid("tagPrefixList and tagPatternList can only be used when tagStatus is tagged");
        }
        for (String p : patterns) {
            if (p.chars().filter(c -> c == '*').count() > 4) {
                throw invalid("a tagPatternList entry may contain at most 4 wildcards (*): '" + p + "'");
            }
        }
        LifecycleRule.CountType countType = switch (s.get("countType").asText()) {
            case "imageCountMoreThan" -> LifecycleRule.CountType.IMAGE_COUNT_MORE_THAN;
            case "sinceImagePushed" -> LifecycleRule.CountType.SINCE_IMAGE_PUSHED;
            default -> throw invalid("instance value (\"" + s.get("countType").asText()
                    + "\") not found in enum (possible values: [\"imageCountMoreThan\",\"sinceImagePushed\"])");
        };
        JsonNode countNumber = s.get("countNumber");
        if (!countNumber.isIntegralNumber() || countNumber.asLong() < 1 || countNumber.asLong() > Integer.MAX_VALUE) {
            throw invalid("countNumber must be an integer greater than or equal to 1");
        }
        JsonNode unit = s.get("countUnit");
        if (countType == LifecycleRule.CountType.SINCE_IMAGE_PUSHED) {
            if (unit == null || !"days".equals(unit.asText())) {
                throw invalid("countUnit 'days' is required when countType is sinceImagePushed");
            }
        } else if (unit != null) {
            throw invalid("countUnit cannot be used when countType is imageCountMoreThan");
        }
        JsonNode action = r.get("action");
        if (!action.isObject() || !action.has("type")) {
            throw invalid("object has missing required properties ([\"type\"])");
        }
        if (!"expire".equals(action.get("type").asText())) {
            throw invalid("instance value (\"" + action.get("type").asText()
                    + "\") not found in enum (possible values: [\"expire\"])");
        }
        return new LifecycleRule(priority, description, tagStatus, prefixes, patterns, countType, countNumber.asInt());
    }

    private static List<String> strings(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid(field + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : node) {
            if (!n.isTextual() || n.asText().isEmpty()) {
                throw invalid(field + " must be an array of non-empty strings");
            }
            out.add(n.asText());
        }
        if (out.isEmpty()) {
            throw invalid(field + " must not be empty");
        }
        return out;
    }

    static RegistryException invalid(String reason) {
        return new RegistryException(RegistryError.INVALID_PARAMETER, "Invalid parameter at 'LifecyclePolicyText' "
                + "failed to satisfy constraint: 'Lifecycle policy validation failure: " + reason + "'");
    }
}
