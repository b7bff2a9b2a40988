package io.berth.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.berth.testkit.store.InMemoryStateStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

/** The Logs API with the AWS CLI v2 ({@code /usr/bin/aws}): the commands users type, tail --follow included. */
class LogsCliTest {
    private static final Path AWS = Path.of(System.getenv().getOrDefault("BERTH_AWS_CLI", "/usr/bin/aws"));
    private static InMemoryStateStore store;
    private static LogsTestServer server;
    private static Path home;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(AWS), "the AWS CLI v2 at " + AWS + " (bin/test installs Debian's awscli)");
        store = new InMemoryStateStore();
        server = LogsTestServer.start(store);
        home = Files.createTempDirectory("berth-logs-cli-");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
            store.close();
        }
    }

    private static ProcessBuilder aws(String... args) {
        List<String> command = new ArrayList<>(List.of(AWS.toString(), "--endpoint-url", server.endpoint(), "logs"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HOME", home.toString());
        builder.environment().put("AWS_ACCESS_KEY_ID", LogsTestServer.KEY);
        builder.environment().put("AWS_SECRET_ACCESS_KEY", LogsTestServer.SECRET);
        builder.environment().put("AWS_REGION", "us-east-1");
        builder.environment().put("AWS_PAGER", "");
        builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        builder.environment().remove("AWS_PROFILE");
        return builder;
    }

    private static String run(String... args) throws Exception {
        Process p = aws(args).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", args) + "\n" + out).isZero();
        return out;
    }

    @Test
    void theLogsCommandsWork() throws Exception {
        long now = System.currentTimeMillis();
        run("create-log-group", "--log-group-name", "/cli/app", "--tags", "team=web");
        run("create-log-stream", "--log-group-name", "/cli/app", "--log-stream-name", "web/1");
        run("put-log-events", "--log-group-name", "/cli/app", "--log-stream-name", "web/1", "--log-events",
                "timestamp=" + (now - 2000) + ",message=hello from the cli",
                "timestamp=" + (now - 1000) + ",message=ERROR something broke");
        assertThat(run("describe-log-groups", "--log-group-name-prefix", "/cli/"))
                .contains("\"logGroupName\": \"/cli/app\"")
                .contains("arn:aws:logs:us-east-1:000000000000:log-group:/cli/app:*");
        assertThat(run("describe-log-streams", "--log-group-name", "/cli/app"))
                .contains("\"logStreamName\": \"web/1\"");
        assertThat(run("get-log-events", "--log-group-name", "/cli/app", "--log-stream-name", "web/1",
                "--start-from-head")).contains("hello from the cli").contains("\"nextForwardToken\": \"f/");
        String filtered = run("filter-log-events", "--log-group-name", "/cli/app", "--filter-pattern", "ERROR");
        assertThat(filtered).contains("ERROR something broke").doesNotContain("hello from the cli");
        assertThat(run("tail", "/cli/app")).contains("web/1 hello from the cli").contains("ERROR something broke");
        run("put-retention-policy", "--log-group-name", "/cli/app", "--retention-in-days", "7");
        assertThat(run("describe-log-groups")).contains("\"retentionInDays\": 7");
        assertThat(run("list-tags-log-group", "--log-group-name", "/cli/app")).contains("\"team\": \"web\"");
    }

    @Test
    void tailFollowShowsNewEvents() throws Exception {
        var logs = server.client();
        logs.createLogGroup(c -> c.logGroupName("/cli/follow"));
        logs.createLogStream(c -> c.logGroupName("/cli/follow").logStreamName("s"));
        logs.putLogEvents(p -> p.logGroupName("/cli/follow").logStreamName("s")
                .logEvents(InputLogEvent.builder().timestamp(System.currentTimeMillis()).message("before").build()));
        Process tail = aws("tail", "/cli/follow", "--follow", "--format", "short").start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> copy(tail.getInputStream(), output));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> output.toString(StandardCharsets.UTF_8).contains("before"));
            for (int i = 0; i < 3; i++) {
                int n = i;
                logs.putLogEvents(p -> p.logGroupName("/cli/follow").logStreamName("s").logEvents(InputLogEvent
                        .builder().timestamp(System.currentTimeMillis()).message("after " + n).build()));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> output.toString(StandardCharsets.UTF_8).contains("after 2"));
            String text = output.toString(StandardCharsets.UTF_8);
            assertThat(text.indexOf("after 0")).isLessThan(text.indexOf("after 1")).isLessThan(text.indexOf("after 2"));
            assertThat(text.split("before", -1)).as("each event once: " + text).hasSize(2);
        } finally {
            tail.destroy();
            tail.waitFor(10, TimeUnit.SECONDS);
            reader.join(5_000);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // process ended
        }
    }
}
