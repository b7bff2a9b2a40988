package io.berth.lb.api;

import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import io.berth.lb.LbError;
import io.berth.lb.model.Action;
import io.berth.lb.model.Cidr;
import io.berth.lb.model.Condition;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The checks ELBv2 makes of the actions of listeners and rules and of rule conditions. */
final class ActionChecks {
    private static final Set<String> CONTENT_TYPES = Set.of("text/plain", "text/css", "text/html",
            "application/javascript", "application/json");
    private static final Pattern METHOD = Pattern.compile("[A-Za-z_-]{1,40}");
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,40}");
    private static final Set<String> ONCE = Set.of(Condition.PATH, Condition.HOST, Condition.METHOD,
            Condition.SOURCE_IP);
    static final int MAX_CONDITION_VALUES = 5;

    private ActionChecks() {
    }

    static List<Action> actions(List<Action> actions, Lookup lookup) {
        if (actions.isEmpty()) {
            throw new BerthException(ErrorCode.VALIDATION, "At least one action must be specified");
        }
        int terminal = 0;
        for (Action a : actions) {
            switch (a.type() == null ? "" : a.type()) {
                case Action.FORWARD -> {
                    terminal++;
                    if (a.forward() == null || a.forward().targetGroups().isEmpty()) {
                        throw new BerthException(ErrorCode.VALIDATION,
                                "A target group ARN must be specified for a forward action");
                    }
                    if (a.forward().targetGroups().size() > 5) {
                        throw LbError.INVALID_ACTION.exception("A forward action can name at most 5 target groups");
                    }
                    Set<String> seen = new HashSet<>();
                    for (Action.WeightedGroup g : a.forward().targetGroups()) {
                        if (g.targetGroupArn() == null) {
                            throw new BerthException(ErrorCode.VALIDATION, "A target group ARN must be specified");
                        }
                        if (!seen.add(g.targetGroupArn())) {
                            throw LbError.INVALID_ACTION.exception("Target group '" + g.targetGroupArn()
                                    + "' is named more than once in the forward action");
                        }
                        if (g.weight() < 0 || g.weight() > 999) {
                            throw new BerthException(ErrorCode.VALIDATION,
                                    "Target group weights must be between 0 and 999");
                        }
                        lookup.requireTargetGroup(g.targetGroupArn());
                    }
                }
                case Action.FIXED_RESPONSE -> {
                    terminal++;
                    if (a.fixedResponse() == null) {
                        throw LbError.INVALID_ACTION.exception("A fixed-response action needs a FixedResponseConfig");
                    }
                    String type = a.fixedResponse().contentType();
                    if (type != null && !CONTENT_TYPES.contains(type)) {
                        throw new BerthException(ErrorCode.VALIDATION, "Content type '" + type
                                + "' is not one of " + new java.util.TreeSet<>(CONTENT_TYPES));
                    }
                }
                case Action.REDIRECT -> {
                    terminal++;
                    Action.Redirect r = a.redirect();
                    if (r == null) {
                        throw LbError.INVALID_ACTION.exception("A redirect action needs a RedirectConfig");
                    }
                    if (isDefault(r.protocol(), "#{protocol}") && isDefault(r.port(), "#{port}")
                            && isDefault(r.host(), "#{host}") && isDefault(r.path(), "/#{path}")
                            && isDefault(r.query(), "#{query}")) {
                        throw LbError.INVALID_ACTION.exception(
                                "The redirect configuration is not valid because it creates a loop.");
                    }
                    if (r.protocol() != null && !Set.of("HTTP", "HTTPS", "#{protocol}").contains(r.protocol())) {
                        throw new BerthException(ErrorCode.VALIDATION, "Redirect protocol must be HTTP, HTTPS or "
                                + "#{protocol}");
                    }
                }
                case "authenticate-oidc", "authenticate-cognito", "jwt-validation" -> throw LbError.INVALID_ACTION
                        .exception("Berth does not support '" + a.type() + "' actions");
                default -> throw new BerthException(ErrorCode.VALIDATION, "Action type '" + a.type()
                        + "' must be one of [forward, redirect, fixed-response]");
            }
        }
        if (terminal != 1) {
            throw LbError.INVALID_ACTION.exception("You must specify exactly one action of type forward, redirect "
                    + "or fixed-response");
        }
        return actions;
    }

    private static boolean isDefault(String value, String placeholder) {
        return value == null || value.equals(placeholder);
    }

    static List<Condition> conditions(List<Condition> conditions) {
        if (conditions.isEmpty()) {
            throw new BerthException(ErrorCode.VALIDATION, "A rule must have at least one condition");
        }
        Set<String> seen = new HashSet<>();
        int values = 0;
        for (Condition c : conditions) {
            if (ONCE.contains(c.field()) && !seen.add(c.field())) {
                throw new BerthException(ErrorCode.VALIDATION, "A rule can only have one '" + c.field()
                        + "' condition");
            }
            switch (c.field()) {
                case Condition.PATH, Condition.HOST -> {
                    requireValues(c);
                    for (String v : c.values()) {
                        if (v.length() > 128) {
                            throw new BerthException(ErrorCode.VALIDATION, "Condition value '" + v
                                    + "' is longer than 128 characters");
                        }
                    }
                }
                case Condition.HEADER -> {
                    requireValues(c);
                    if (c.headerName() == null || !HEADER.matcher(c.headerName()).matches()) {
                        throw new BerthException(ErrorCode.VALIDATION, "An http-header condition needs a valid "
                                + "HttpHeaderName");
                    }
                }
                case Condition.METHOD -> {
                    requireValues(c);
                    for (String v : c.values()) {
                        if (!METHOD.matcher(v).matches()) {
                            throw new BerthException(ErrorCode.VALIDATION, "HTTP request method '" + v
                                    + "' is not valid");
                        }
                    }
                }
                case Condition.SOURCE_IP -> {
                    requireValues(c);
                    for (String v : c.values()) {
                        if (Cidr.parse(v).isEmpty()) {
                            throw new BerthException(ErrorCode.VALIDATION, "Source IP '" + v
                                    + "' is not a valid CIDR block");
                        }
                    }
                }
                case Condition.QUERY -> {
                    if (c.queryValues().isEmpty()) {
                        throw new BerthException(ErrorCode.VALIDATION,
                                "A query-string condition needs at least one value");
                    }
                    for (Condition.KeyValue kv : c.queryValues()) {
                        if (kv.value() == null) {
                            throw new BerthException(ErrorCode.VALIDATION,
                                    "Each query-string condition value needs a Value");
                        }
                    }
                    values += c.queryValues().size() - 1;
                }
                default -> throw new BerthException(ErrorCode.VALIDATION, "Condition field '" + c.field()
                        + "' must be one of [http-header, http-request-method, host-header, path-pattern, "
                        + "query-string, source-ip]");
            }
            values += Math.max(1, c.values().size());
        }
        if (values > MAX_CONDITION_VALUES) {
            throw LbError.INVALID_CONFIGURATION.exception("A rule can have at most " + MAX_CONDITION_VALUES
                    + " condition values");
        }
        return conditions;
    }

    private static void requireValues(Condition c) {
        if (c.values().isEmpty()) {
            throw new BerthException(ErrorCode.VALIDATION, "A '" + c.field() + "' condition needs at least one value");
        }
    }
}
