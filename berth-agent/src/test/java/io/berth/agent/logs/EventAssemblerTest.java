package io.berth.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.runtime.LogLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventAssemblerTest {
    private static final Instant T0 = Instant.parse("2025-01-02T03:04:05.123456789Z");
    private Cursor cursor = Cursor.START;
    private int n;

    private List<EventAssembler.Event> feed(EventAssembler a, String... lines) {
        List<EventAssembler.Event> out = new ArrayList<>();
        for (String l : lines) {
            boolean partial = l.endsWith("\\");
            LogLine line = new LogLine(T0.plusMillis(n++), false, partial ? l.substring(0, l.length() - 1) : l, partial);
            cursor = cursor.after(line);
            out.addAll(a.add(line, cursor));
        }
        return out;
    }

    private static List<String> messages(List<EventAssembler.Event> events) {
        return events.stream().map(EventAssembler.Event::message).toList();
    }

    @Test
    void everyLineIsAnEventAndEmptyLinesAreNot() {
        EventAssembler a = new EventAssembler(null);
        List<EventAssembler.Event> events = feed(a, "one", "", "two");
        assertThat(messages(events)).containsExactly("one", "two");
        assertThat(events.get(0).timestamp()).isEqualTo(T0.toEpochMilli());
        assertThat(events.get(1).cursorAfter().latest()).isEqualTo(T0.plusMillis(2));
        assertThat(a.flush()).isEmpty();
    }

    @Test
    void linesTheEngineSplitAreJoined() {
        EventAssembler a = new EventAssembler(null);
        assertThat(messages(feed(a, "ab\\", "cd\\", "ef", "g"))).containsExactly("abcdef", "g");
    }

    @Test
    void aMultilinePatternGroupsLinesUntilTheNextStart() {
        EventAssembler a = new EventAssembler(Pattern.compile("^INFO|^ERROR"));
        List<EventAssembler.Event> done = feed(a, "INFO start", "ERROR boom", "  at a.b(C.java:1)", "  at d.e(F.java:2)",
                "INFO next");
        assertThat(messages(done)).containsExactly("INFO start", "ERROR boom\n  at a.b(C.java:1)\n  at d.e(F.java:2)");
        assertThat(done.get(1).cursorAfter().latest()).isEqualTo(T0.plusMillis(3));
        assertThat(a.pendingSince()).isEqualTo(T0.plusMillis(4));
        assertThat(messages(a.flush())).containsExactly("INFO next");
        assertThat(a.pendingSince()).isNull();
    }

    @Test
    void aDatetimeFormatStartsEventsOnTimestamps() {
        AwsLogsOptions options = AwsLogsOptions.of(json("{\"logDriver\":\"awslogs\",\"options\":{\"awslogs-group\":\"g\","
                + "\"awslogs-datetime-format\":\"%Y-%m-%d %H:%M:%S\"}}")).orElseThrow();
        EventAssembler a = new EventAssembler(options.eventStart());
        List<EventAssembler.Event> done = feed(a, "2025-01-02 03:04:05 first", "continued", "2025-01-02 03:04:06 second");
        assertThat(messages(done)).containsExactly("2025-01-02 03:04:05 first\ncontinued");
    }

    @Test
    void longEventsAreCut() {
        EventAssembler a = new EventAssembler(null);
        String big = "x".repeat(EventAssembler.MAX_EVENT_BYTES + 10);
        assertThat(feed(a, big)).extracting(e -> e.message().length())
                .containsExactly(EventAssembler.MAX_EVENT_BYTES, 10);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            %b %d %H:%M:%S     | Jan 02 15:04:05 x          | true
            %b %d %H:%M:%S     | 02 Jan 15:04:05            | false
            [%Y-%m-%dT%H:%M:%S | [2025-12-31T23:59:59] msg  | true
            %d/%b/%Y:%H:%M:%S %z | 10/Oct/2000:13:55:36 -0700 | true
            %H:%M:%S%L         | 12:00:00.123               | true
            %I:%M %p           | 09:30 PM                   | true
            """)
    void strftimeFormatsMatchTheirTimestamps(String format, String line, boolean matches) {
        assertThat(Pattern.compile("^" + Strftime.toRegex(format)).matcher(line).find()).isEqualTo(matches);
    }

    @Test
    void awslogsOptionsNameTheStreamAsEcsDoes() {
        AwsLogsOptions o = AwsLogsOptions.of(json("{\"logDriver\":\"awslogs\",\"options\":{\"awslogs-group\":\"/ecs/web\","
                + "\"awslogs-stream-prefix\":\"ecs\",\"awslogs-region\":\"eu-west-1\",\"awslogs-create-group\":\"true\"}}"))
                .orElseThrow();
        assertThat(o.streamName("arn:aws:ecs:us-east-1:000000000000:task/default/abc123", "web", "f00"))
                .isEqualTo("ecs/web/abc123");
        assertThat(o.createGroup()).isTrue();
        assertThat(o.region()).isEqualTo("eu-west-1");
        AwsLogsOptions noPrefix = AwsLogsOptions.of(json("{\"logDriver\":\"awslogs\",\"options\":{\"awslogs-group\":\"g\"}}"))
                .orElseThrow();
        assertThat(noPrefix.streamName("arn:...:task/default/abc", "web", "0123abcd")).isEqualTo("0123abcd");
        assertThat(noPrefix.createGroup()).isFalse();
        assertThat(AwsLogsOptions.of(json("{\"logDriver\":\"json-file\"}"))).isEmpty();
        assertThat(AwsLogsOptions.of(json("{\"logDriver\":\"awslogs\",\"options\":{}}"))).isEmpty();
    }

    static com.fasterxml.jackson.databind.JsonNode json(String text) {
        try {
            return AwsJsonClient.JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
