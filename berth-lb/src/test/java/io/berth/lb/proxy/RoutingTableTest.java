package io.berth.lb.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.lb.model.Action;
import io.berth.lb.model.Condition;
import io.berth.lb.model.Rule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoutingTableTest {
    private static Action fixed(String body) {
        return new Action(Action.FIXED_RESPONSE, null, null, new Action.FixedResponse("200", null, body), null);
    }

    private static Rule rule(int priority, String body, Condition... conditions) {
        return new Rule("arn:rule/" + priority, "arn:listener", priority, List.of(conditions), List.of(fixed(body)));
    }

    private static final RoutingTable TABLE = RoutingTable.compile(List.of(
            rule(30, "images", new Condition(Condition.PATH, List.of("/img/*.png", "/img/*.jpg"), null, null)),
            rule(10, "admin", new Condition(Condition.PATH, List.of("/admin*"), null, null),
                    new Condition(Condition.METHOD, List.of("POST"), null, null)),
            rule(20, "host", new Condition(Condition.HOST, List.of("api.example.com", "*.api.example.com"), null, null)),
            rule(40, "header", new Condition(Condition.HEADER, List.of("beta-?"), "X-Flag", null)),
            rule(50, "query", new Condition(Condition.QUERY, List.of(), null, List.of(
                    new Condition.KeyValue("mode", "dark*"), new Condition.KeyValue(null, "debug")))),
            rule(60, "office", new Condition(Condition.SOURCE_IP, List.of("192.168.0.0/16", "::1/128"), null, null))),
            List.of(fixed("default")));

    @ParameterizedTest(name = "{0} {1} host={2} header={3} query={4} from={5} -> {6}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "GET  | /             | x.com                | -       | -            | 10.0.0.1 | default",
            "POST | /admin/users  | x.com                | -       | -            | 10.0.0.1 | admin",
            "GET  | /admin/users  | x.com                | -       | -            | 10.0.0.1 | default",
            "GET  | /img/a/b.png  | x.com                | -       | -            | 10.0.0.1 | images",
            "GET  | /IMG/a.png    | x.com                | -       | -            | 10.0.0.1 | default",
            "GET  | /img/a.gif    | x.com                | -       | -            | 10.0.0.1 | default",
            "GET  | /             | API.example.com      | -       | -            | 10.0.0.1 | host",
            "GET  | /             | v1.api.example.com   | -       | -            | 10.0.0.1 | host",
            "GET  | /             | example.com          | beta-2  | -            | 10.0.0.1 | header",
            "GET  | /             | example.com          | beta-22 | -            | 10.0.0.1 | default",
            "GET  | /             | example.com          | -       | mode=darker  | 10.0.0.1 | query",
            "GET  | /             | example.com          | -       | x=debug      | 10.0.0.1 | query",
            "GET  | /             | example.com          | -       | mode=light   | 10.0.0.1 | default",
            "GET  | /             | example.com          | -       | -            | 192.168.4.5 | office",
            "GET  | /             | example.com          | -       | -            | 192.169.4.5 | default",
            "POST | /admin         | api.example.com      | -       | -            | 10.0.0.1 | admin",
    })
    void theFirstMatchingRuleByPriorityWins(String method, String path, String host, String flag, String query,
                                            String from, String expected) throws Exception {
        Map<String, List<String>> headers = flag == null ? Map.of() : Map.of("x-flag", List.of(flag));
        List<Map.Entry<String, String>> q = query == null ? List.of()
                : List.of(Map.entry(query.split("=")[0], query.split("=")[1]));
        RequestView view = RoutingTable.view(method, path, host, headers, q,
                java.net.InetAddress.getByName(from).getAddress());
        assertThat(TABLE.route(view).fixedResponse().messageBody()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"*,'',true", "a*c,abbbc,true", "a*c,abd,false", "a?c,abc,true", "a?c,ac,false", "*.png,x.png,true",
            "/api/*/items,/api/v1/items,true", "/api/*/items,/api/items,false", "**a,a,true"})
    void wildcardsMatchAsAlbDoes(String pattern, String text, boolean matches) {
        assertThat(Wildcard.matches(pattern, text, false)).isEqualTo(matches);
    }
}
