package io.berth.lb.model;

import java.util.List;
import java.util.Objects;

/**
 * A listener or rule action. Exactly one of the configurations is set, matching {@code type}.
 *
 * @param order the action's order (1..50000) as given, or null
 */
public record Action(String type, Integer order, Forward forward, FixedResponse fixedResponse, Redirect redirect) {
    public static final String FORWARD = "forward";
    public static final String FIXED_RESPONSE = "fixed-response";
    public static final String REDIRECT = "redirect";

    public Action {
        Objects.requireNonNull(type);
    }

    /** A forward to one or more target groups, weighted (weights 0..999). */
    public record Forward(List<WeightedGroup> targetGroups, boolean stickinessEnabled, Integer stickinessSeconds) {
        public Forward {
            targetGroups = List.copyOf(targetGroups);
        }
    }

    public record WeightedGroup(String targetGroupArn, int weight) {
    }

    public record FixedResponse(String statusCode, String contentType, String messageBody) {
    }

    /**
     * A redirect; each part may use {@code #{protocol}}, {@code #{host}}, {@code #{port}},
     * {@code #{path}}, {@code #{query}}.
     */
    public record Redirect(String protocol, String port, String host, String path, String query, String statusCode) {
    }

    /** Every target group this action may send to. */
    public List<String> targetGroupArns() {
        return forward == null ? List.of() : forward.targetGroups().stream().map(WeightedGroup::targetGroupArn).toList();
    }
}
