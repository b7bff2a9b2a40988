package io.berth.scheduler.query;

import static io.berth.scheduler.snapshot.InstanceBuilder.instance;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import io.berth.scheduler.snapshot.InstanceView;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ClusterQueryPropertiesTest {
    private static final List<InstanceView> INSTANCES = List.of(
            instance("a").attribute("ecs.instance-type", "t2.small").az("us-east-1a").ec2InstanceId("i-1")
                    .agentVersion("1.14.5").registeredAt("2018-06-18T22:28:28Z").task("service:web").build(),
            instance("b").attribute("ecs.instance-type", "m5.large").az("us-east-1b").agentVersion("1.9.0")
                    .registeredAt("2019-01-01T00:00:00Z").task("family:batch").task("service:web").disconnected()
                    .build(),
            instance("c").agentVersion(null).registeredAt("2020-01-01T00:00:00Z").build());

    private static final List<String> ATOMS = List.of(
            "attribute:ecs.instance-type == t2.small", "attribute:ecs.instance-type =~ t2.*",
            "attribute:ecs.availability-zone in [us-east-1a, us-east-1c]", "attribute:stack exists",
            "attribute:ecs.availability-zone !exists", "agentConnected == true", "agentVersion >= 1.10",
            "ec2InstanceId != i-2", "registeredAt < 2019-01-01", "runningTasksCount > 1",
            "task:group == service:web", "task:group !~ 'service:.*'");

    /** Whatever the text, parsing either succeeds or fails with INVALID_PARAMETER naming a character. */
    @Property(tries = 2000)
    void parseFailsOnlyWithAPositionedInvalidParameter(@ForAll("noise") String text) {
        try {
            ClusterQuery q = ClusterQuery.parse(text);
            INSTANCES.forEach(q::matches);
        } catch (BerthException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER);
            Matcher m = Pattern.compile("at character (\\d+):").matcher(e.getMessage());
            if (m.find()) {
                assertThat(Integer.parseInt(m.group(1))).isBetween(1, text.length() + 1);
            } else {
                assertThat(text).isBlank();
            }
        }
    }

    /** The canonical form means the same, and so do De Morgan's rewrites and the keyword spellings. */
    @Property(tries = 500)
    void rewritesMeanTheSame(@ForAll("expressions") String a, @ForAll("expressions") String b) {
        List<String> sameAsAAndB = List.of("(" + a + ") && (" + b + ")", "(" + a + ") and (" + b + ")",
                "!(!(" + a + ") || !(" + b + "))", "not (not (" + a + ") or not (" + b + "))",
                ClusterQuery.parse("(" + a + ") && (" + b + ")").canonical());
        for (InstanceView instance : INSTANCES) {
            boolean expected = ClusterQuery.parse(a).matches(instance) && ClusterQuery.parse(b).matches(instance);
            for (String rewrite : sameAsAAndB) {
                assertThat(ClusterQuery.parse(rewrite).matches(instance)).as("%s on %s", rewrite, instance.id())
                        .isEqualTo(expected);
            }
        }
    }

    @Provide
    Arbitrary<String> expressions() {
        return expression(3);
    }

    private Arbitrary<String> expression(int depth) {
        Arbitrary<String> atom = Arbitraries.of(ATOMS);
        if (depth == 0) {
            return atom;
        }
        Arbitrary<String> inner = expression(depth - 1);
        return Arbitraries.oneOf(atom,
                Combinators.combine(inner, inner, Arbitraries.of(" && ", " and ", " || ", " OR "))
                        .as((x, y, op) -> "(" + x + ")" + op + "(" + y + ")"),
                inner.map(x -> "!(" + x + ")"),
                inner.map(x -> "not (" + x + ")"));
    }

    @Provide
    Arbitrary<String> noise() {
        Arbitrary<String> pieces = Arbitraries.of("attribute:", "a", "ecs.x", "task:group", "registeredAt",
                "runningTasksCount", "agentVersion", "agentConnected", "ec2InstanceId", " ", "==", "!=", ">", ">=",
                "<", "<=", "exists", "!exists", "in", "!in", "=~", "!~", "&&", "||", "and", "or", "not", "!", "(",
                ")", "[", "]", ",", "'", "\"", "1", "2018-06-18", "true", "t2.*", "*", "\\", "=", "[a-", "x y");
        return pieces.list().ofMaxSize(12).map(l -> String.join("", l));
    }
}
