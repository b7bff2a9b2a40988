package io.berth.lb.proxy;

import io.berth.lb.model.Action;
import io.berth.lb.model.Cidr;
import io.berth.lb.model.Condition;
import io.berth.lb.model.Rule;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The rules of one listener compiled for the data plane: {@link #route} returns the terminal action
 * of the first rule (by ascending priority) whose conditions all match, else the default action.
 * Immutable and thread-safe; the data plane swaps in a new table when the configuration changes.
 */
public final class RoutingTable {
    private record Compiled(List<Condition> conditions, List<List<Cidr>> cidrs, Action action) {
    }

    private final List<Compiled> rules;
    private final Action fallback;

    private RoutingTable(List<Compiled> rules, Action fallback) {
        this.rules = rules;
        this.fallback = fallback;
    }

    public static RoutingTable compile(List<Rule> rules, List<Action> defaultActions) {
        List<Compiled> compiled = rules.stream().sorted(Comparator.comparingInt(Rule::priority))
                .map(r -> new Compiled(r.conditions(),
                        r.conditions().stream().map(c -> Condition.SOURCE_IP.equals(c.field())
                                ? c.values().stream().flatMap(v -> Cidr.parse(v).stream()).toList()
                                : List.<Cidr>of()).toList(),
                        terminal(r.actions())))
                .toList();
        return new RoutingTable(compiled, terminal(defaultActions));
    }

    private static Action terminal(List<Action> actions) {
        return actions.stream().filter(a -> !a.type().startsWith("authenticate")).findFirst()
                .orElse(actions.isEmpty() ? null : actions.get(0));
    }

    public Action route(RequestView request) {
        for (Compiled rule : rules) {
            if (matchesAll(rule, request)) {
                return rule.action();
            }
        }
        return fallback;
    }

    private static boolean matchesAll(Compiled rule, RequestView request) {
        for (int i = 0; i < rule.conditions().size(); i++) {
            if (!matches(rule.conditions().get(i), rule.cidrs().get(i), request)) {
                return false;
            }
        }
        return true;
    }

    static boolean matches(Condition c, List<Cidr> cidrs, RequestView r) {
        return switch (c.field()) {
            case Condition.PATH -> c.values().stream().anyMatch(p -> Wildcard.matches(p, r.path(), false));
            case Condition.HOST -> c.values().stream().anyMatch(p -> Wildcard.matches(p, r.host(), true));
            case Condition.METHOD -> c.values().contains(r.method());
            case Condition.HEADER -> r.headers().apply(c.headerName()).stream()
                    .anyMatch(v -> c.values().stream().anyMatch(p -> Wildcard.matches(p, v, true)));
            case Condition.QUERY -> c.queryValues().stream().anyMatch(kv -> r.query().stream().anyMatch(e ->
                    (kv.key() == null || Wildcard.matches(kv.key(), e.getKey(), true))
                            && Wildcard.matches(kv.value(), e.getValue(), true)));
            case Condition.SOURCE_IP -> cidrs.stream().anyMatch(cidr -> cidr.contains(r.source()));
            default -> false;
        };
    }

    /** Builds a view for tests and tools. */
    static RequestView view(String method, String path, String host, Map<String, List<String>> headers,
                            List<Map.Entry<String, String>> query, byte[] source) {
        return new RequestView(method, path, host, name -> headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name)).flatMap(e -> e.getValue().stream()).toList(),
                query, source);
    }
}
