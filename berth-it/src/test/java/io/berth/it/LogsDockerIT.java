package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.berth.agent.runtime.DockerEngineRuntime;
import io.berth.testkit.images.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.LogConfiguration;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * Container output through the awslogs driver, end to end on the real Docker Engine: a task writes,
 * the agent ships, GetLogEvents and {@code aws logs tail} read it back; an agent restart and a server
 * restart mid-stream lose and double nothing.
 */
class LogsDockerIT {
    private static final Path AWS = Path.of(System.getenv().getOrDefault("BERTH_AWS_CLI", "/usr/bin/aws"));
    private static LogsFixture berth;

    @BeforeAll
    static void start() throws Exception {
        berth = LogsFixture.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (berth != null) {
            berth.close();
        }
    }

    private static LogConfiguration awslogs(String group, String... more) {
        java.util.Map<String, String> options = new java.util.LinkedHashMap<>();
        options.put("awslogs-group", group);
        options.put("awslogs-region", "us-east-1");
        options.put("awslogs-stream-prefix", "ecs");
        for (int i = 0; i + 1 < more.length; i += 2) {
            options.put(more[i], more[i + 1]);
        }
        return LogConfiguration.builder().logDriver(LogDriver.AWSLOGS).options(options).build();
    }

    private static String run(String family, String script, LogConfiguration logs) {
        String td = berth.ecs().registerTaskDefinition(r -> r.family(family).containerDefinitions(
                ContainerDefinition.builder().name("main").image(TestImages.BUSYBOX).memory(32)
                        .command("sh", "-c", script).logConfiguration(logs).build()))
                .taskDefinition().taskDefinitionArn();
        var response = berth.ecs().runTask(r -> r.taskDefinition(td));
        assertThat(response.failures()).isEmpty();
        return response.tasks().get(0).taskArn();
    }

    private static List<String> events(String group, String stream) {
        List<String> out = new ArrayList<>();
        berth.logs().getLogEventsPaginator(g -> g.logGroupName(group).logStreamName(stream).startFromHead(true))
                .events().forEach(e -> out.add(e.message()));
        return out;
    }

    private static List<String> lines(String prefix, int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> prefix + " " + i).toList();
    }

    @Test
    void aTaskThatWritesLinesIsReadBackWithGetLogEventsAndTheCli() throws Exception {
        String task = run("logs-lines", "for i in $(seq 1 20); do echo line $i; done; echo oops >&2; sleep 1",
                awslogs("/ecs/logs-it", "awslogs-create-group", "true"));
        berth.awaitStatus(task, "STOPPED", Duration.ofSeconds(60));
        String stream = "ecs/main/" + LogsFixture.taskId(task);
        await().atMost(Duration.ofSeconds(20)).until(() -> events("/ecs/logs-it", stream).size() == 21);
        // stdout in its order; stderr is another pipe, placed by Docker's timestamp (as the awslogs driver does)
        List<String> got = events("/ecs/logs-it", stream);
        assertThat(got.stream().filter(m -> m.startsWith("line")).toList()).isEqualTo(lines("line", 1, 20));
        assertThat(got).contains("oops");
        List<OutputLogEvent> raw = berth.logs().getLogEvents(g -> g.logGroupName("/ecs/logs-it").logStreamName(stream)
                .startFromHead(true).limit(1)).events();
        assertThat(raw.get(0).timestamp()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(120_000L));

        // the container itself logs with Docker's json-file driver: awslogs is the agent's doing
        String containerId = berth.describe(task).containers().get(0).runtimeId();
        assertThat(dockerLogDriver(containerId)).isEqualTo("json-file");

        if (Files.isExecutable(AWS)) {
            String tail = cli("logs", "tail", "/ecs/logs-it", "--since", "1h");
            assertThat(tail).contains(stream + " line 1").contains(stream + " line 20").contains("oops");
            String get = cli("logs", "get-log-events", "--log-group-name", "/ecs/logs-it", "--log-stream-name", stream,
                    "--start-from-head");
            assertThat(get).contains("\"message\": \"line 7\"");
        }
    }

    @Test
    void anAgentRestartMidStreamLosesAndDoublesNothing() throws Exception {
        String task = run("logs-agent-restart", "for i in $(seq 1 60); do echo tick $i; sleep 0.1; done",
                awslogs("/ecs/logs-restart", "awslogs-create-group", "true"));
        String stream = "ecs/main/" + LogsFixture.taskId(task);
        berth.awaitStatus(task, "RUNNING", Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(20)).until(() -> berth.logs().describeLogStreams(d -> d
                .logGroupName("/ecs/logs-restart")).logStreams().size() == 1 && events("/ecs/logs-restart", stream).size() >= 5);
        berth.stopAgent();
        Thread.sleep(1500);
        berth.startAgent();
        berth.awaitStatus(task, "STOPPED", Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(30)).until(() -> events("/ecs/logs-restart", stream).size() >= 60);
        Thread.sleep(1500); // anything doubled would have arrived by now
        assertThat(events("/ecs/logs-restart", stream)).isEqualTo(lines("tick", 1, 60));
    }

    @Test
    void aServerRestartMidStreamLosesAndDoublesNothing() throws Exception {
        String task = run("logs-server-restart", "for i in $(seq 1 50); do echo beat $i; sleep 0.1; done; sleep 2",
                awslogs("/ecs/logs-server", "awslogs-create-group", "true"));
        String stream = "ecs/main/" + LogsFixture.taskId(task);
        berth.awaitStatus(task, "RUNNING", Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(20)).until(() -> events("/ecs/logs-server", stream).size() >= 3);
        berth.stopServer();
        Thread.sleep(3000);
        berth.startServer();
        berth.awaitStatus(task, "STOPPED", Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(30)).until(() -> events("/ecs/logs-server", stream).size() >= 50);
        Thread.sleep(1500);
        assertThat(events("/ecs/logs-server", stream)).isEqualTo(lines("beat", 1, 50));
    }

    @Test
    void aMissingLogGroupFailsTheTaskToStartAsEcsDoes() {
        String task = run("logs-no-group", "echo never", awslogs("/ecs/does-not-exist"));
        Task stopped = berth.awaitStatus(task, "STOPPED", Duration.ofSeconds(60));
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.TASK_FAILED_TO_START);
        assertThat(stopped.stoppedReason()).startsWith("CannotStartContainerError:")
                .contains("ResourceNotFoundException: The specified log group does not exist.");
    }

    @Test
    void multilineEventsFollowTheDatetimeFormat() {
        String task = run("logs-multiline", "echo '2025-01-01 10:00:00 first'; echo '  detail a'; echo '  detail b';"
                        + " echo '2025-01-01 10:00:01 second'; sleep 1",
                awslogs("/ecs/logs-multiline", "awslogs-create-group", "true",
                        "awslogs-datetime-format", "%Y-%m-%d %H:%M:%S"));
        berth.awaitStatus(task, "STOPPED", Duration.ofSeconds(60));
        String stream = "ecs/main/" + LogsFixture.taskId(task);
        await().atMost(Duration.ofSeconds(20)).until(() -> events("/ecs/logs-multiline", stream).size() == 2);
        assertThat(events("/ecs/logs-multiline", stream)).containsExactly(
                "2025-01-01 10:00:00 first\n  detail a\n  detail b", "2025-01-01 10:00:01 second");
    }

    private static String dockerLogDriver(String containerId) throws Exception {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(DockerEngineRuntime.hostFromEnvironment().toString()).build();
        try (var http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build();
             var docker = DockerClientImpl.getInstance(config, http)) {
            return docker.inspectContainerCmd(containerId).exec().getHostConfig().getLogConfig().getType().getType();
        }
    }

    private static String cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(AWS.toString(), "--endpoint-url", berth.endpoint()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HOME", Files.createTempDirectory("berth-cli-").toString());
        builder.environment().put("AWS_ACCESS_KEY_ID", LogsFixture.KEY);
        builder.environment().put("AWS_SECRET_ACCESS_KEY", LogsFixture.SECRET);
        builder.environment().put("AWS_REGION", "us-east-1");
        builder.environment().put("AWS_PAGER", "");
        builder.environment().remove("AWS_PROFILE");
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
