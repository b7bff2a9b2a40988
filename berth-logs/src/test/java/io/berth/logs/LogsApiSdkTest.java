package io.berth.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.logs.event.EventLog;
import io.berth.store.sqlite.SqliteStateStore;
import io.berth.testkit.store.InMemoryStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OrderBy;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/** The Logs API as the AWS SDK v2 sees it: every operation, its rules and its errors. */
class LogsApiSdkTest {
    private InMemoryStateStore store;
    private LogsTestServer server;
    private CloudWatchLogsClient logs;

    @BeforeEach
    void start() throws Exception {
        store = new InMemoryStateStore();
        server = LogsTestServer.start(store);
        logs = server.client();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        store.close();
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    private static InputLogEvent event(long timestamp, String message) {
        return InputLogEvent.builder().timestamp(timestamp).message(message).build();
    }

    private void stream(String group, String stream) {
        if (logs.describeLogGroups(d -> d.logGroupNamePrefix(group)).logGroups().stream()
                .noneMatch(g -> g.logGroupName().equals(group))) {
            logs.createLogGroup(c -> c.logGroupName(group));
        }
        logs.createLogStream(c -> c.logGroupName(group).logStreamName(stream));
    }

    private PutLogEventsResponse put(String group, String stream, InputLogEvent... events) {
        return logs.putLogEvents(p -> p.logGroupName(group).logStreamName(stream).logEvents(events));
    }

    private static List<String> messages(List<OutputLogEvent> events) {
        return events.stream().map(OutputLogEvent::message).toList();
    }

    // ---- groups ---------------------------------------------------------------------------------

    @Test
    void logGroupsAreCreatedDescribedAndDeletedAsAwsDoes() {
        logs.createLogGroup(c -> c.logGroupName("/ecs/web").tags(Map.of("team", "web")));
        logs.createLogGroup(c -> c.logGroupName("/ecs/worker"));
        logs.createLogGroup(c -> c.logGroupName("other"));

        List<LogGroup> ecs = logs.describeLogGroups(d -> d.logGroupNamePrefix("/ecs/")).logGroups();
        assertThat(ecs).extracting(LogGroup::logGroupName).containsExactly("/ecs/web", "/ecs/worker");
        LogGroup web = ecs.get(0);
        assertThat(web.arn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:/ecs/web:*");
        assertThat(web.logGroupArn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:/ecs/web");
        assertThat(web.creationTime()).isCloseTo(now(), org.assertj.core.data.Offset.offset(60_000L));
        assertThat(web.retentionInDays()).isNull();
        assertThat(web.storedBytes()).isZero();
        assertThat(web.logGroupClassAsString()).isEqualTo("STANDARD");
        assertThat(logs.describeLogGroups(d -> d.logGroupNamePattern("WORK")).logGroups())
                .extracting(LogGroup::logGroupName).containsExactly("/ecs/worker");

        assertThatThrownBy(() -> logs.createLogGroup(c -> c.logGroupName("/ecs/web")))
                .isInstanceOf(ResourceAlreadyExistsException.class)
                .hasMessageContaining("The specified log group already exists");
        assertThatThrownBy(() -> logs.createLogGroup(c -> c.logGroupName("bad name")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("failed to satisfy constraint");
        assertThatThrownBy(() -> logs.describeLogGroups(d -> d.logGroupNamePrefix("a").logGroupNamePattern("b")))
                .isInstanceOf(InvalidParameterException.class);

        logs.deleteLogGroup(d -> d.logGroupName("/ecs/web"));
        assertThat(logs.describeLogGroups().logGroups()).extracting(LogGroup::logGroupName)
                .containsExactly("/ecs/worker", "other");
        assertThatThrownBy(() -> logs.deleteLogGroup(d -> d.logGroupName("/ecs/web")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("The specified log group does not exist.");
    }

    @Test
    void describeLogGroupsPagesThroughEveryGroup() {
        IntStream.range(0, 7).forEach(i -> logs.createLogGroup(c -> c.logGroupName("g" + i)));
        List<String> seen = new ArrayList<>();
        logs.describeLogGroupsPaginator(d -> d.limit(3)).logGroups().forEach(g -> seen.add(g.logGroupName()));
        assertThat(seen).containsExactly("g0", "g1", "g2", "g3", "g4", "g5", "g6");
        assertThat(logs.describeLogGroups(d -> d.limit(3)).nextToken()).isNotBlank();
    }

    @Test
    void retentionPoliciesTakeAwssValuesOnly() {
        logs.createLogGroup(c -> c.logGroupName("r"));
        assertThatThrownBy(() -> logs.putRetentionPolicy(p -> p.logGroupName("r").retentionInDays(2)))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Member must satisfy enum value set: [1, 3, 5, 7, 14, 30");
        logs.putRetentionPolicy(p -> p.logGroupName("r").retentionInDays(14));
        assertThat(logs.describeLogGroups().logGroups().get(0).retentionInDays()).isEqualTo(14);
        logs.deleteRetentionPolicy(p -> p.logGroupName("r"));
        assertThat(logs.describeLogGroups().logGroups().get(0).retentionInDays()).isNull();
        assertThatThrownBy(() -> logs.putRetentionPolicy(p -> p.logGroupName("none").retentionInDays(1)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void retentionIsEnforcedByTheJanitor() {
        stream("old", "s");
        long day = Duration.ofDays(1).toMillis();
        put("old", "s", event(now() - 5 * day, "five days ago"), event(now() - 5 * day + 1, "still five days"));
        put("old", "s", event(now() - 60_000, "a minute ago"));
        server.logs.janitor().pass();
        assertThat(logs.describeLogGroups().logGroups().get(0).storedBytes()).isPositive();

        logs.putRetentionPolicy(p -> p.logGroupName("old").retentionInDays(3));
        // the chunk holding the old events also holds the new one: it stays until all of it expired
        server.logs.janitor().pass();
        List<OutputLogEvent> kept = logs.getLogEvents(g -> g.logGroupName("old").logStreamName("s")
                .startFromHead(true)).events();
        assertThat(messages(kept)).contains("a minute ago");

        stream("old", "only-old");
        put("old", "only-old", event(now() - 4 * day, "four days ago"));
        long before = logs.describeLogGroups().logGroups().get(0).storedBytes();
        server.logs.janitor().pass();
        assertThat(logs.getLogEvents(g -> g.logGroupName("old").logStreamName("only-old").startFromHead(true))
                .events()).isEmpty();
        assertThat(logs.describeLogGroups().logGroups().get(0).storedBytes()).isLessThanOrEqualTo(before);
        // and new events older than the retention are refused as expired
        PutLogEventsResponse r = put("old", "only-old", event(now() - 4 * day, "expired"), event(now(), "fresh"));
        assertThat(r.rejectedLogEventsInfo().expiredLogEventEndIndex()).isZero();
        assertThat(messages(logs.getLogEvents(g -> g.logGroupName("old").logStreamName("only-old")).events()))
                .containsExactly("fresh");
    }

    @Test
    void tagsByNameAndByArn() {
        logs.createLogGroup(c -> c.logGroupName("tagged").tags(Map.of("a", "1")));
        String arn = logs.describeLogGroups().logGroups().get(0).logGroupArn();
        logs.tagResource(t -> t.resourceArn(arn).tags(Map.of("b", "2")));
        logs.tagLogGroup(t -> t.logGroupName("tagged").tags(Map.of("c", "3")));
        assertThat(logs.listTagsForResource(l -> l.resourceArn(arn)).tags())
                .containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2", "c", "3"));
        logs.untagResource(u -> u.resourceArn(arn).tagKeys("a"));
        logs.untagLogGroup(u -> u.logGroupName("tagged").tags("c"));
        assertThat(logs.listTagsLogGroup(l -> l.logGroupName("tagged")).tags()).isEqualTo(Map.of("b", "2"));
        assertThatThrownBy(() -> logs.listTagsForResource(l -> l.resourceArn(
                "arn:aws:logs:us-east-1:000000000000:log-group:nope")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    // ---- streams --------------------------------------------------------------------------------

    @Test
    void logStreamsAreCreatedAndDescribed() {
        assertThatThrownBy(() -> logs.createLogStream(c -> c.logGroupName("missing").logStreamName("s")))
                .isInstanceOf(ResourceNotFoundException.class);
        stream("g", "b");
        stream("g", "a");
        stream("g", "c/1");
        assertThatThrownBy(() -> logs.createLogStream(c -> c.logGroupName("g").logStreamName("a")))
                .isInstanceOf(ResourceAlreadyExistsException.class)
                .hasMessageContaining("The specified log stream already exists");
        put("g", "b", event(now() - 1000, "x"));
        put("g", "a", event(now() - 2000, "y"));

        assertThat(logs.describeLogStreams(d -> d.logGroupName("g")).logStreams())
                .extracting(LogStream::logStreamName).containsExactly("a", "b", "c/1");
        assertThat(logs.describeLogStreams(d -> d.logGroupName("g").logStreamNamePrefix("c/")).logStreams())
                .extracting(LogStream::logStreamName).containsExactly("c/1");
        List<LogStream> byTime = logs.describeLogStreams(d -> d.logGroupName("g").orderBy(OrderBy.LAST_EVENT_TIME)
                .descending(true)).logStreams();
        assertThat(byTime).extracting(LogStream::logStreamName).containsExactly("b", "a", "c/1");
        LogStream b = byTime.get(0);
        assertThat(b.arn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:g:log-stream:b");
        assertThat(b.firstEventTimestamp()).isEqualTo(b.lastEventTimestamp());
        assertThat(b.lastIngestionTime()).isNotNull();
        assertThat(b.uploadSequenceToken()).hasSize(56);
        assertThatThrownBy(() -> logs.describeLogStreams(d -> d.logGroupName("g").logStreamNamePrefix("a")
                .orderBy(OrderBy.LAST_EVENT_TIME))).isInstanceOf(InvalidParameterException.class);
        List<String> paged = new ArrayList<>();
        logs.describeLogStreamsPaginator(d -> d.logGroupIdentifier(
                "arn:aws:logs:us-east-1:000000000000:log-group:g").limit(1)).logStreams()
                .forEach(s -> paged.add(s.logStreamName()));
        assertThat(paged).containsExactly("a", "b", "c/1");

        logs.deleteLogStream(d -> d.logGroupName("g").logStreamName("a"));
        assertThat(logs.describeLogStreams(d -> d.logGroupName("g")).logStreams())
                .extracting(LogStream::logStreamName).containsExactly("b", "c/1");
    }

    // ---- events ---------------------------------------------------------------------------------

    @Test
    void eventsComeBackInOrderWithForwardAndBackwardTokens() {
        stream("app", "s");
        long t = now() - 100_000;
        for (int batch = 0; batch < 5; batch++) {
            int b = batch;
            put("app", "s", IntStream.range(0, 5).mapToObj(i -> event(t + b * 5 + i, "line " + (b * 5 + i)))
                    .toArray(InputLogEvent[]::new));
        }
        List<String> all = IntStream.range(0, 25).mapToObj(i -> "line " + i).toList();

        GetLogEventsResponse head = logs.getLogEvents(g -> g.logGroupName("app").logStreamName("s")
                .startFromHead(true).limit(10));
        assertThat(messages(head.events())).isEqualTo(all.subList(0, 10));
        assertThat(head.nextForwardToken()).startsWith("f/");
        assertThat(head.nextBackwardToken()).startsWith("b/");
        assertThat(head.events().get(0).ingestionTime()).isGreaterThanOrEqualTo(head.events().get(0).timestamp());

        List<String> forward = new ArrayList<>(messages(head.events()));
        String token = head.nextForwardToken();
        while (true) {
            String current = token;
            GetLogEventsResponse page = logs.getLogEvents(g -> g.logGroupName("app").logStreamName("s")
                    .nextToken(current).limit(10));
            forward.addAll(messages(page.events()));
            if (page.nextForwardToken().equals(current)) {
                assertThat(page.events()).isEmpty();
                break;
            }
            token = page.nextForwardToken();
        }
        assertThat(forward).isEqualTo(all);

        // without startFromHead: the latest events, then backwards
        GetLogEventsResponse tail = logs.getLogEvents(g -> g.logGroupName("app").logStreamName("s").limit(10));
        assertThat(messages(tail.events())).isEqualTo(all.subList(15, 25));
        GetLogEventsResponse before = logs.getLogEvents(g -> g.logGroupName("app").logStreamName("s").limit(10)
                .nextToken(tail.nextBackwardToken()));
        assertThat(messages(before.events())).isEqualTo(all.subList(5, 15));
        // a new event is found with the last forward token
        put("app", "s", event(t + 1000, "late"));
        assertThat(messages(logs.getLogEvents(g -> g.logGroupName("app").logStreamName("s")
                .nextToken(tail.nextForwardToken())).events())).containsExactly("late");
        // time windows: [startTime, endTime)
        assertThat(messages(logs.getLogEvents(g -> g.logGroupName("app").logStreamName("s").startFromHead(true)
                .startTime(t + 3).endTime(t + 6)).events())).containsExactly("line 3", "line 4", "line 5");
        // the SDK's paginator stops when the token repeats
        List<String> paginated = new ArrayList<>();
        logs.getLogEventsPaginator(g -> g.logGroupName("app").logStreamName("s").startFromHead(true).limit(7))
                .events().forEach(e -> paginated.add(e.message()));
        assertThat(paginated).hasSize(26).endsWith("late");
        assertThatThrownBy(() -> logs.getLogEvents(g -> g.logGroupName("app").logStreamName("s").nextToken("x/1")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.getLogEvents(g -> g.logGroupName("app").logStreamName("nope")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("The specified log stream does not exist.");
    }

    @Test
    void putLogEventsFollowsAwssBatchRules() {
        stream("rules", "s");
        long now = now();
        assertThatThrownBy(() -> put("rules", "s", event(now, "b"), event(now - 1, "a")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("chronological order");
        assertThatThrownBy(() -> put("rules", "s", event(now - Duration.ofHours(25).toMillis(), "a"), event(now, "b")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("24 hours");
        String big = "x".repeat(200_000);
        assertThatThrownBy(() -> put("rules", "s", IntStream.range(0, 6).mapToObj(i -> event(now, big))
                .toArray(InputLogEvent[]::new)))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("exceeds limit of 1048576");
        assertThatThrownBy(() -> put("rules", "missing", event(now, "a")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> put("nogroup", "s", event(now, "a")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("The specified log group does not exist.");

        PutLogEventsResponse r = put("rules", "s", event(now - Duration.ofDays(15).toMillis(), "too old"),
                event(now - Duration.ofDays(15).toMillis() + 1, "too old too"), event(now, "fine"),
                event(now + Duration.ofHours(3).toMillis(), "too new"));
        assertThat(r.rejectedLogEventsInfo().tooOldLogEventEndIndex()).isEqualTo(1);
        assertThat(r.rejectedLogEventsInfo().tooNewLogEventStartIndex()).isEqualTo(3);
        assertThat(r.nextSequenceToken()).isNotBlank();
        assertThat(messages(logs.getLogEvents(g -> g.logGroupName("rules").logStreamName("s")).events()))
                .containsExactly("fine");
        // ten thousand events fit in one batch
        put("rules", "s", IntStream.range(0, 10_000).mapToObj(i -> event(now + 1, "e" + i))
                .toArray(InputLogEvent[]::new));
        assertThat(logs.getLogEvents(g -> g.logGroupName("rules").logStreamName("s").startFromHead(true))
                .events()).hasSize(10_000);
    }

    @Test
    void aResentBatchIsStoredOnce() {
        stream("dedup", "s");
        long now = now();
        for (int i = 0; i < 3; i++) {
            logs.putLogEvents(p -> p.logGroupName("dedup").logStreamName("s").sequenceToken("berth:agent-1:1")
                    .logEvents(event(now, "first batch")));
        }
        logs.putLogEvents(p -> p.logGroupName("dedup").logStreamName("s").sequenceToken("berth:agent-1:2")
                .logEvents(event(now + 1, "second batch")));
        logs.putLogEvents(p -> p.logGroupName("dedup").logStreamName("s").sequenceToken("berth:agent-1:1")
                .logEvents(event(now + 2, "late resend of the first")));
        logs.putLogEvents(p -> p.logGroupName("dedup").logStreamName("s").sequenceToken("berth:agent-2:1")
                .logEvents(event(now + 3, "another producer")));
        // a token that is not Berth's is ignored, as AWS does
        logs.putLogEvents(p -> p.logGroupName("dedup").logStreamName("s").sequenceToken("49590302123")
                .logEvents(event(now + 4, "plain")));
        logs.putLogEvents(p -> p.logGroupName("dedup").logStreamName("s").sequenceToken("49590302123")
                .logEvents(event(now + 5, "plain again")));
        assertThat(messages(logs.getLogEvents(g -> g.logGroupName("dedup").logStreamName("s").startFromHead(true))
                .events())).containsExactly("first batch", "second batch", "another producer", "plain", "plain again");
    }

    @Test
    void largeStreamsSpanManyChunks() {
        stream("big", "s");
        long t = now() - 1_000_000;
        String line = "y".repeat(1000);
        int batches = 40;
        for (int b = 0; b < batches; b++) {
            int base = b * 20;
            put("big", "s", IntStream.range(0, 20).mapToObj(i -> event(t + base + i, (base + i) + " " + line))
                    .toArray(InputLogEvent[]::new));
        }
        assertThat(store.count(EventLog.CHUNK, "")).isGreaterThan(2);
        List<String> got = new ArrayList<>();
        logs.getLogEventsPaginator(g -> g.logGroupName("big").logStreamName("s").startFromHead(true).limit(333))
                .events().forEach(e -> got.add(e.message().substring(0, e.message().indexOf(' '))));
        assertThat(got).isEqualTo(IntStream.range(0, batches * 20).mapToObj(String::valueOf).toList());
        FilterLogEventsResponse some = logs.filterLogEvents(f -> f.logGroupName("big").filterPattern("\"799 \""));
        assertThat(some.events()).hasSize(1);
    }

    @Test
    void filterLogEventsInterleavesStreamsAndMatchesPatterns() {
        stream("f", "web/1");
        stream("f", "web/2");
        stream("f", "db");
        long t = now() - 50_000;
        put("f", "web/1", event(t, "GET /index 200"), event(t + 20, "{\"level\":\"error\",\"latency\":250}"));
        put("f", "web/2", event(t + 10, "GET /login 500 ERROR"), event(t + 30, "{\"level\":\"info\",\"latency\":20}"));
        put("f", "db", event(t + 5, "connection ERROR refused"), event(t + 40, "WARN slow query"));

        FilterLogEventsResponse all = logs.filterLogEvents(f -> f.logGroupName("f"));
        assertThat(all.events()).extracting(FilteredLogEvent::message).containsExactly("GET /index 200",
                "connection ERROR refused", "GET /login 500 ERROR", "{\"level\":\"error\",\"latency\":250}",
                "{\"level\":\"info\",\"latency\":20}", "WARN slow query");
        assertThat(all.events()).extracting(FilteredLogEvent::logStreamName)
                .containsExactly("web/1", "db", "web/2", "web/1", "web/2", "db");
        Set<String> ids = new HashSet<>();
        all.events().forEach(e -> ids.add(e.eventId()));
        assertThat(ids).hasSize(6);
        assertThat(all.nextToken()).isNull();

        assertThat(filter("ERROR")).containsExactly("connection ERROR refused", "GET /login 500 ERROR");
        assertThat(filter("ERROR -GET")).containsExactly("connection ERROR refused");
        assertThat(filter("?WARN ?500")).containsExactly("GET /login 500 ERROR", "WARN slow query");
        assertThat(filter("\"slow query\"")).containsExactly("WARN slow query");
        assertThat(filter("{ $.level = \"error\" }")).containsExactly("{\"level\":\"error\",\"latency\":250}");
        assertThat(filter("{ $.latency > 100 || $.level = \"inf*\" }")).hasSize(2);
        assertThat(filter("{ ($.latency < 100) && ($.level != \"error\") }"))
                .containsExactly("{\"level\":\"info\",\"latency\":20}");
        assertThat(filter("[method, path, status = 5*, ...]")).containsExactly("GET /login 500 ERROR");
        assertThat(logs.filterLogEvents(f -> f.logGroupName("f").logStreamNamePrefix("web/")).events()).hasSize(4);
        assertThat(logs.filterLogEvents(f -> f.logGroupName("f").logStreamNames("db")).events()).hasSize(2);
        assertThat(logs.filterLogEvents(f -> f.logGroupName("f").startTime(t + 10).endTime(t + 30)).events())
                .hasSize(3);
        assertThatThrownBy(() -> logs.filterLogEvents(f -> f.logGroupName("f").filterPattern("{ $.a = ")))
                .isInstanceOf(InvalidParameterException.class);

        List<String> paged = new ArrayList<>();
        logs.filterLogEventsPaginator(f -> f.logGroupName("f").limit(2)).events().forEach(e -> paged.add(e.message()));
        assertThat(paged).isEqualTo(all.events().stream().map(FilteredLogEvent::message).toList());
    }

    private List<String> filter(String pattern) {
        return logs.filterLogEvents(f -> f.logGroupName("f").filterPattern(pattern)).events().stream()
                .map(FilteredLogEvent::message).toList();
    }

    @Test
    void aDeletedGroupIsPurgedAndARecreatedOneStartsEmpty() {
        stream("gone", "s");
        put("gone", "s", event(now(), "old life"));
        logs.deleteLogGroup(d -> d.logGroupName("gone"));
        stream("gone", "s");
        assertThat(logs.getLogEvents(g -> g.logGroupName("gone").logStreamName("s")).events()).isEmpty();
        server.logs.janitor().pass();
        assertThat(store.count(EventLog.CHUNK, "")).isZero();
        assertThat(store.count(io.berth.logs.stream.LogStreams.KIND, "")).isEqualTo(1);
    }

    @Test
    void eventsSurviveARestartOfServerAndStore() throws Exception {
        Path dir = Files.createTempDirectory("berth-logs-");
        long t = now();
        try (SqliteStateStore sqlite = SqliteStateStore.open(dir); LogsTestServer first = LogsTestServer.start(sqlite)) {
            CloudWatchLogsClient c = first.client();
            c.createLogGroup(g -> g.logGroupName("durable"));
            c.createLogStream(s -> s.logGroupName("durable").logStreamName("s"));
            c.putLogEvents(p -> p.logGroupName("durable").logStreamName("s").sequenceToken("berth:a:1")
                    .logEvents(event(t, "kept")));
        }
        try (SqliteStateStore sqlite = SqliteStateStore.open(dir); LogsTestServer second = LogsTestServer.start(sqlite)) {
            CloudWatchLogsClient c = second.client();
            c.putLogEvents(p -> p.logGroupName("durable").logStreamName("s").sequenceToken("berth:a:1")
                    .logEvents(event(t, "kept")));
            assertThat(messages(c.getLogEvents(g -> g.logGroupName("durable").logStreamName("s")).events()))
                    .containsExactly("kept");
        }
    }
}
