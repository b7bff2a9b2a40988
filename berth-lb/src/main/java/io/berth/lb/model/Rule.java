package io.berth.lb.model;

import java.util.List;
import java.util.Objects;

/**
 * A listener rule: conditions (all must match) and actions, evaluated in ascending priority before
 * the listener's default actions. Stored by its key, the ARN's resource after {@code listener-rule/}.
 */
public record Rule(String arn, String listenerArn, int priority, List<Condition> conditions, List<Action> actions) {
    public Rule {
        Objects.requireNonNull(arn);
        Objects.requireNonNull(listenerArn);
        conditions = List.copyOf(conditions);
        actions = List.copyOf(actions);
    }

    public Rule withPriority(int newPriority) {
        return new Rule(arn, listenerArn, newPriority, conditions, actions);
    }

    public Rule with(List<Condition> newConditions, List<Action> newActions) {
        return new Rule(arn, listenerArn, priority, newConditions, newActions);
    }
}
