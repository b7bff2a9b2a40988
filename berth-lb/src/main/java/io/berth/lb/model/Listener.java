package io.berth.lb.model;

import java.util.List;
import java.util.Objects;

/**
 * A listener: a port of a load balancer, its protocol and its default actions. Stored by its key,
 * the ARN's resource after {@code listener/} ({@code app/NAME/LBID/ID}).
 *
 * @param defaultRuleId the id of the ARN of its default rule, which DescribeRules lists last
 */
public record Listener(String arn, String loadBalancerArn, int port, String protocol, List<Action> defaultActions,
                       String defaultRuleId) {
    public Listener {
        Objects.requireNonNull(arn);
        Objects.requireNonNull(loadBalancerArn);
        defaultActions = List.copyOf(defaultActions);
    }

    public Listener with(int newPort, String newProtocol, List<Action> actions) {
        return new Listener(arn, loadBalancerArn, newPort, newProtocol, actions, defaultRuleId);
    }
}
