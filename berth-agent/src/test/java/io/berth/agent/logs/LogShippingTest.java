package io.berth.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.agent.Agent;
import io.berth.agent.AgentConfig;
import io.berth.agent.engine.ContainerPhase;
import io.berth.agent.engine.ContainerRecord;
import io.berth.agent.engine.EngineSettings;
import io.berth.agent.engine.TaskEngine;
import io.berth.agent.engine.TaskRecord;
import io.berth.agent.engine.TaskSpecs;
import io.berth.agent.engine.Tasks;
import io.berth.core.agent.DesiredTask;
import io.berth.core.agent.Registered;
import io.berth.core.runtime.ContainerSpec;
import io.berth.core.runtime.HostInfo;
import io.berth.testkit.runtime.FakeContainerRuntime;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The awslogs shipping of the agent: fake engine, fake Logs API on a real port, real disk. */
class LogShippingTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path stateDir;

    private final FakeContainerRuntime runtime = new FakeContainerRuntime();
    private final AtomicReference<Map<String, TaskRecord>> records = new AtomicReference<>(Map.of());
    private FakeLogsServer server;
    private LogShipping shipping;
    private TaskEngine.Hooks hooks;

    @BeforeEach
    void start() throws Exception {
        server = new FakeLogsServer();
        runtime.addImage("app:1");
        startShipping();
    }

    @AfterEach
    void stop() throws Exception {
        shipping.close();
        runtime.close();
        server.close();
    }

    private void startShipping() {
        shipping = new LogShipping(Duration.ofMillis(100), Duration.ofMillis(50));
        AgentConfig config = AgentConfig.of(URI.create(server.endpoint()), stateDir, FakeLogsServer.KEY,
                FakeLogsServer.SECRET).withRetry(Duration.ofMillis(20), Duration.ofMillis(200));
        hooks = shipping.start(new Agent.Context(config, new Registered(Tasks.INSTANCE, "i-1", "t"),
                new HostInfo(2, 1L << 30, "linux", "x86_64", "fake", "1.47"), runtime, InstantSource.system()),
                records::get);
    }

    private static DesiredTask task(String id, String options) {
        return Tasks.running(id, Tasks.td("app", Tasks.container("main", "app:1",
                "\"logConfiguration\":{\"logDriver\":\"awslogs\",\"options\":{" + options + "}}")));
    }

    /** Creates the task's container on the fake engine and puts the task, started, in the records. */
    private String run(DesiredTask task, boolean start) {
        TaskRecord record = TaskRecord.of(task, TaskSpecs.read(task, Tasks.INSTANCE, EngineSettings.defaults()));
        ContainerSpec spec = TaskSpecs.concrete(record.spec().containers().get(0), "ecs-app-1-main-" + task.taskArn()
                .substring(task.taskArn().lastIndexOf('/') + 1), Map.of());
        String id = runtime.create(spec, WAIT);
        if (start) {
            String refusal = hooks.beforeStart(record, record.spec().containers().get(0), id);
            assertThat(refusal).isNull();
            runtime.start(id, WAIT);
            ContainerRecord c = record.containers().get(0).copy().runtime(id, spec.name()).started(Instant.now())
                    .phase(ContainerPhase.RUNNING).build();
            record = record.with(c);
        }
        TaskRecord r = record;
        records.updateAndGet(m -> {
            var next = new java.util.HashMap<>(m);
            next.put(r.taskArn(), r);
            return Map.copyOf(next);
        });
        return id;
    }

    private static final String OPTIONS = "\"awslogs-group\":\"/ecs/app\",\"awslogs-stream-prefix\":\"ecs\","
            + "\"awslogs-create-group\":\"true\"";

    @Test
    void theOutputOfAStartedContainerIsShippedInOrderToPrefixNameTask() {
        String id = run(task("t1", OPTIONS), true);
        for (int i = 0; i < 5; i++) {
            runtime.writeLog(id, i % 2 == 1, "line " + i);
        }
        await().atMost(WAIT).until(() -> server.messages("ecs/main/t1").size() == 5);
        assertThat(server.messages("ecs/main/t1")).containsExactly("line 0", "line 1", "line 2", "line 3", "line 4");
        assertThat(server.groups).contains("/ecs/app");
        runtime.exit(id, 0);
        await().atMost(WAIT).until(() -> shipping.shipper(id).map(ContainerShipper::isShipped).orElse(false));
    }

    @Test
    void aMissingGroupFailsTheStartAsEcsDoes() {
        DesiredTask t = task("t2", "\"awslogs-group\":\"/nope\",\"awslogs-stream-prefix\":\"ecs\"");
        TaskRecord record = TaskRecord.of(t, TaskSpecs.read(t, Tasks.INSTANCE, EngineSettings.defaults()));
        String refusal = hooks.beforeStart(record, record.spec().containers().get(0), "abc123");
        assertThat(refusal).isEqualTo("failed to initialize logging driver: failed to create Cloudwatch log stream: "
                + "ResourceNotFoundException: The specified log group does not exist.");
        assertThat(Files.exists(stateDir.resolve("logs").resolve("abc123"))).isFalse();
    }

    @Test
    void whileTheServerIsDownOutputWaitsOnDiskAndIsShippedOnceWhenItIsBack() {
        String id = run(task("t3", OPTIONS), true);
        server.down = true;
        IntStream.range(0, 20).forEach(i -> runtime.writeLog(id, false, "down " + i));
        Path spool = stateDir.resolve("logs").resolve(id);
        await().atMost(WAIT).until(() -> Files.list(spool).anyMatch(p -> p.toString().endsWith(".batch")));
        server.down = false;
        await().atMost(WAIT).until(() -> server.messages("ecs/main/t3").size() >= 20);
        assertThat(server.messages("ecs/main/t3")).isEqualTo(IntStream.range(0, 20).mapToObj(i -> "down " + i).toList());
    }

    @Test
    void aServerWithoutTheLogsApiYetKeepsOutputWaitingInsteadOfDroppingIt() {
        server.noLogsApi = true;
        String id = run(task("t9", OPTIONS), true);
        IntStream.range(0, 3).forEach(i -> runtime.writeLog(id, false, "kept " + i));
        Path spool = stateDir.resolve("logs").resolve(id);
        await().atMost(WAIT).until(() -> Files.list(spool).anyMatch(p -> p.toString().endsWith(".batch")));
        await().during(Duration.ofMillis(500)).atMost(WAIT)
                .until(() -> Files.list(spool).anyMatch(p -> p.toString().endsWith(".batch")));
        server.noLogsApi = false;
        await().atMost(WAIT).until(() -> server.messages("ecs/main/t9").size() == 3);
        assertThat(server.messages("ecs/main/t9")).containsExactly("kept 0", "kept 1", "kept 2");
    }

    @Test
    void lostAnswersAreResentAndStoredOnce() {
        String id = run(task("t4", OPTIONS), true);
        server.loseAnswers = true;
        runtime.writeLog(id, false, "only once");
        await().atMost(WAIT).until(() -> server.calls().stream().filter("PutLogEvents"::equals).count() >= 3);
        server.loseAnswers = false;
        await().atMost(WAIT).until(() -> {
            Path spool = stateDir.resolve("logs").resolve(id);
            return Files.list(spool).noneMatch(p -> p.toString().endsWith(".batch"));
        });
        assertThat(server.messages("ecs/main/t4")).containsExactly("only once");
    }

    @Test
    void anAgentRestartMidStreamLosesAndDoublesNothing() {
        String id = run(task("t5", OPTIONS), true);
        IntStream.range(0, 5).forEach(i -> runtime.writeLog(id, false, "before " + i));
        await().atMost(WAIT).until(() -> server.messages("ecs/main/t5").size() == 5);
        server.down = true;
        IntStream.range(0, 3).forEach(i -> runtime.writeLog(id, false, "sealed " + i));
        Path spool = stateDir.resolve("logs").resolve(id);
        await().atMost(WAIT).until(() -> Files.list(spool).anyMatch(p -> p.toString().endsWith(".batch")));
        shipping.close(); // the agent stops; the container goes on writing
        IntStream.range(0, 4).forEach(i -> runtime.writeLog(id, false, "while away " + i));
        server.down = false;
        startShipping();
        IntStream.range(0, 2).forEach(i -> runtime.writeLog(id, false, "after " + i));
        await().atMost(WAIT).until(() -> server.messages("ecs/main/t5").size() >= 14);
        List<String> expected = new java.util.ArrayList<>();
        IntStream.range(0, 5).forEach(i -> expected.add("before " + i));
        IntStream.range(0, 3).forEach(i -> expected.add("sealed " + i));
        IntStream.range(0, 4).forEach(i -> expected.add("while away " + i));
        IntStream.range(0, 2).forEach(i -> expected.add("after " + i));
        assertThat(server.messages("ecs/main/t5")).isEqualTo(expected);
    }

    @Test
    void aContainerThatAlreadyStoppedIsReadToItsEndBeforeRemoval() {
        String id = run(task("t6", OPTIONS), false);
        runtime.start(id, WAIT);
        runtime.writeLog(id, false, "short");
        runtime.writeLog(id, true, "lived");
        runtime.exit(id, 1);
        // the engine saw it start only now; the removal waits for its output
        TaskRecord r = records.get().get(Tasks.arn("t6"));
        records.set(Map.of(r.taskArn(), r.with(r.containers().get(0).copy().runtime(id, "x").started(Instant.now())
                .phase(ContainerPhase.STOPPED).build())));
        hooks.beforeRemove(r.taskArn(), List.of(id));
        await().atMost(WAIT).until(() -> server.messages("ecs/main/t6").size() == 2);
        assertThat(server.messages("ecs/main/t6")).containsExactly("short", "lived");
    }

    @Test
    void theRemovalOfAContainerThatNeverRanDoesNotWait() {
        DesiredTask t = task("t8", OPTIONS);
        TaskRecord record = TaskRecord.of(t, TaskSpecs.read(t, Tasks.INSTANCE, EngineSettings.defaults()));
        ContainerSpec spec = TaskSpecs.concrete(record.spec().containers().get(0), "ecs-app-1-main-t8", Map.of());
        runtime.failStart(s -> s.name().equals("ecs-app-1-main-t8"), "exec: \"nope\": executable file not found");
        String id = runtime.create(spec, WAIT);
        assertThat(hooks.beforeStart(record, record.spec().containers().get(0), id)).isNull();
        try {
            runtime.start(id, WAIT);
        } catch (RuntimeException expected) {
            // the start fails, as the engine will report
        }
        long t0 = System.nanoTime();
        hooks.beforeRemove(record.taskArn(), List.of(id));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        runtime.remove(id, WAIT);
        await().atMost(WAIT).until(() -> shipping.shipper(id).map(ContainerShipper::isShipped).orElse(false));
        assertThat(server.messages("ecs/main/t8")).isEmpty();
    }

    @Test
    void containersWithoutAwslogsAreLeftAlone() {
        DesiredTask t = Tasks.running("t7", Tasks.td("plain", Tasks.container("main", "app:1", "")));
        String id = run(t, true);
        runtime.writeLog(id, false, "not shipped");
        shipping.discover();
        assertThat(shipping.shipper(id)).isEmpty();
        assertThat(server.calls()).isEmpty();
    }
}
