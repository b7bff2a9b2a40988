package io.berth.lb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import io.berth.core.store.Mutation;
import io.berth.lb.LbError;
import io.berth.lb.model.Action;
import io.berth.lb.model.Condition;
import io.berth.lb.model.Listener;
import io.berth.lb.model.Rule;
import io.berth.lb.model.Tag;
import io.berth.lb.state.Arns;
import io.berth.lb.state.Kind;
import io.berth.lb.state.LbState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CreateRule, DescribeRules, ModifyRule, DeleteRule, SetRulePriorities. Each listener also has a
 * default rule, made of its default actions: listed last, priority {@code default}, not deletable;
 * modifying its actions modifies the listener's. Thread-safe.
 */
final class RuleOperations {
    static final int MAX_RULES = 100;
    private final Lookup lookup;

    RuleOperations(Lookup lookup) {
        this.lookup = lookup;
    }

    private String defaultRuleArn(Listener l) {
        return lookup.arns().rule(Arns.listenerKey(l.arn()) + "/" + l.defaultRuleId());
    }

    /** The listener whose default rule {@code ruleArn} is, if it is one. */
    private Optional<LbState.Read<Listener>> defaultRuleOwner(String ruleArn) {
        Optional<String> key = lookup.arns().resource(ruleArn, "listener-rule");
        if (key.isEmpty() || key.get().lastIndexOf('/') < 0) {
            return Optional.empty();
        }
        String listenerKey = key.get().substring(0, key.get().lastIndexOf('/'));
        return lookup.state().get(Kind.LISTENER, listenerKey)
                .filter(read -> defaultRuleArn(read.value()).equals(ruleArn));
    }

    private static BerthException notFound() {
        return LbError.RULE_NOT_FOUND.exception("One or more rules not found");
    }

    ObjectNode createRule(RequestContext context, ObjectNode input) {
        String listenerArn = Wire.text(input, "ListenerArn");
        int priority = Wire.integer(input, "Priority");
        List<Condition> conditions = ActionChecks.conditions(Wire.parseConditions(input, "Conditions"));
        List<Action> actions = ActionChecks.actions(Wire.parseActions(input, "Actions"), lookup);
        List<Tag> tags = Wire.tags(input, "Tags");
        Checks.tags(tags);
        Rule rule = lookup.state().retry(() -> {
            Listener listener = lookup.requireListener(listenerArn).value();
            List<Rule> rules = lookup.rulesOf(listenerArn);
            if (rules.stream().anyMatch(r -> r.priority() == priority)) {
                throw LbError.PRIORITY_IN_USE.exception("Priority '" + priority + "' is currently in use");
            }
            if (rules.size() >= MAX_RULES) {
                throw LbError.TOO_MANY_RULES.exception("You've reached the limit on the number of rules per listener");
            }
            String key = Arns.listenerKey(listener.arn()) + "/" + lookup.arns().newId();
            Rule created = new Rule(lookup.arns().rule(key), listener.arn(), priority, conditions, actions);
            List<Mutation> tx = new ArrayList<>();
            tx.add(LbState.create(Kind.RULE, key, created));
            Tagging.initial(created.arn(), tags).ifPresent(tx::add);
            lookup.state().commit(tx);
            return created;
        });
        ObjectNode out = Wire.object();
        out.set("Rules", Wire.array().add(Wire.rule(rule)));
        return out;
    }

    ObjectNode describeRules(RequestContext context, ObjectNode input) {
        String listenerArn = Wire.text(input, "ListenerArn");
        List<String> arns = Wire.strings(input, "RuleArns");
        if (listenerArn == null && arns.isEmpty()) {
            throw new BerthException(ErrorCode.VALIDATION, "You must specify either listener ARN or rule ARNs");
        }
        List<ObjectNode> found = new ArrayList<>();
        if (listenerArn != null) {
            Listener listener = lookup.requireListener(listenerArn).value();
            lookup.rulesOf(listenerArn).stream().sorted(Comparator.comparingInt(Rule::priority))
                    .forEach(r -> found.add(Wire.rule(r)));
            found.add(Wire.defaultRule(listener, defaultRuleArn(listener)));
        } else {
            for (String arn : arns) {
                Optional<LbState.Read<Rule>> rule = lookup.rule(arn);
                if (rule.isPresent()) {
                    found.add(Wire.rule(rule.get().value()));
                    continue;
                }
                Listener owner = defaultRuleOwner(arn).orElseThrow(RuleOperations::notFound).value();
                found.add(Wire.defaultRule(owner, arn));
            }
        }
        int size = Checks.pageSize(Wire.integer(input, "PageSize"));
        int from = 0;
        String marker = Wire.text(input, "Marker");
        if (marker != null) {
            try {
                from = Integer.parseInt(marker);
            } catch (NumberFormatException e) {
                throw new BerthException(ErrorCode.VALIDATION, "The marker is not valid");
            }
        }
        ArrayNode items = Wire.array();
        found.stream().skip(from).limit(size).forEach(items::add);
        ObjectNode out = Wire.object();
        out.set("Rules", items);
        if (from + size < found.size()) {
            out.put("NextMarker", Integer.toString(from + size));
        }
        return out;
    }

    ObjectNode modifyRule(RequestContext context, ObjectNode input) {
        String arn = Wire.text(input, "RuleArn");
        List<Condition> conditions = input.has("Conditions")
                ? ActionChecks.conditions(Wire.parseConditions(input, "Conditions")) : null;
        List<Action> actions = input.has("Actions")
                ? ActionChecks.actions(Wire.parseActions(input, "Actions"), lookup) : null;
        ObjectNode changed = lookup.state().retry(() -> {
            Optional<LbState.Read<Rule>> read = lookup.rule(arn);
            if (read.isEmpty()) {
                LbState.Read<Listener> owner = defaultRuleOwner(arn).orElseThrow(RuleOperations::notFound);
                if (conditions != null) {
                    throw LbError.OPERATION_NOT_PERMITTED.exception("Conditions cannot be added to a default rule");
                }
                Listener l = owner.value();
                Listener updated = l.with(l.port(), l.protocol(), actions == null ? l.defaultActions() : actions);
                lookup.state().commit(List.of(owner.update(updated)));
                return Wire.defaultRule(updated, arn);
            }
            Rule r = read.get().value();
            Rule updated = r.with(conditions == null ? r.conditions() : conditions,
                    actions == null ? r.actions() : actions);
            lookup.state().commit(List.of(read.get().update(updated)));
            return Wire.rule(updated);
        });
        ObjectNode out = Wire.object();
        out.set("Rules", Wire.array().add(changed));
        return out;
    }

    ObjectNode deleteRule(RequestContext context, ObjectNode input) {
        String arn = Wire.text(input, "RuleArn");
        lookup.state().retry(() -> {
            Optional<LbState.Read<Rule>> read = lookup.rule(arn);
            if (read.isEmpty()) {
                if (defaultRuleOwner(arn).isPresent()) {
                    throw LbError.OPERATION_NOT_PERMITTED.exception("Default rule '" + arn + "' cannot be deleted");
                }
                throw notFound();
            }
            lookup.state().commit(List.of(read.get().delete(), Tagging.removeAll(arn)));
            return null;
        });
        return Wire.object();
    }

    ObjectNode setRulePriorities(RequestContext context, ObjectNode input) {
        Map<String, Integer> wanted = new LinkedHashMap<>();
        for (JsonNode pair : input.path("RulePriorities")) {
            String arn = Wire.text(pair, "RuleArn");
            Integer priority = Wire.integer(pair, "Priority");
            if (arn == null || priority == null) {
                throw new BerthException(ErrorCode.VALIDATION, "Each rule priority pair needs a RuleArn and a Priority");
            }
            if (wanted.put(arn, priority) != null) {
                throw new BerthException(ErrorCode.VALIDATION, "Rule '" + arn + "' is named more than once");
            }
        }
        List<Rule> changed = lookup.state().retry(() -> {
            List<Mutation> tx = new ArrayList<>();
            List<Rule> updated = new ArrayList<>();
            Map<String, Map<Integer, String>> byListener = new HashMap<>();
            for (Map.Entry<String, Integer> e : wanted.entrySet()) {
                Optional<LbState.Read<Rule>> read = lookup.rule(e.getKey());
                if (read.isEmpty()) {
                    if (defaultRuleOwner(e.getKey()).isPresent()) {
                        throw LbError.OPERATION_NOT_PERMITTED.exception("Default rule priority cannot be modified");
                    }
                    throw notFound();
                }
                Rule r = read.get().value().withPriority(e.getValue());
                tx.add(read.get().update(r));
                updated.add(r);
            }
            for (Rule r : updated) {
                Map<Integer, String> taken = byListener.computeIfAbsent(r.listenerArn(), l -> {
                    Map<Integer, String> m = new HashMap<>();
                    lookup.rulesOf(l).stream().filter(o -> !wanted.containsKey(o.arn()))
                            .forEach(o -> m.put(o.priority(), o.arn()));
                    return m;
                });
                if (taken.putIfAbsent(r.priority(), r.arn()) != null) {
                    throw LbError.PRIORITY_IN_USE.exception("Priority '" + r.priority() + "' is currently in use");
                }
            }
            lookup.state().commit(tx);
            return updated;
        });
        ArrayNode items = Wire.array();
        changed.forEach(r -> items.add(Wire.rule(r)));
        ObjectNode out = Wire.object();
        out.set("Rules", items);
        return out;
    }
}
