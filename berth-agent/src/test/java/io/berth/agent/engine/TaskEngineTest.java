package io.berth.agent.engine;

import static io.berth.agent.engine.Tasks.INSTANCE;
import static io.berth.agent.engine.Tasks.container;
import static io.berth.agent.engine.Tasks.running;
import static io.berth.agent.engine.Tasks.stopped;
import static io.berth.agent.engine.Tasks.td;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.core.agent.AgentLabels;
import io.berth.core.agent.ContainerReport;
import io.berth.core.agent.DesiredState;
import io.berth.core.agent.DesiredTask;
import io.berth.core.agent.TaskReport;
import io.berth.core.runtime.ContainerEvent;
import io.berth.core.runtime.ContainerRuntime;
import io.berth.core.runtime.ContainerSpec;
import io.berth.core.runtime.ContainerState;
import io.berth.core.runtime.HostInfo;
import io.berth.core.runtime.ImageInfo;
import io.berth.core.runtime.RegistryAuth;
import io.berth.testkit.runtime.FakeContainerRuntime;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The engine on the fake container runtime: what a user of ECS would see of each behaviour. */
class TaskEngineTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final EngineSettings FAST = EngineSettings.defaults()
            .withTick(Duration.ofMillis(10))
            .withRelistInterval(Duration.ofMillis(300))
            .withStopTimeout(Duration.ofSeconds(1))
            .withCleanupDelay(Duration.ofHours(1))
            .withRetries(Duration.ofMillis(20), 3);

    private final FakeContainerRuntime runtime = new FakeContainerRuntime();
    private final List<TaskEngine> engines = new ArrayList<>();

    @AfterEach
    void tearDown() {
        engines.forEach(TaskEngine::close);
        runtime.close();
    }

    private TaskEngine start(EngineSettings settings) {
        return start(settings, runtime, InstantSource.system(), () -> { });
    }

    private TaskEngine start(EngineSettings settings, ContainerRuntime on, InstantSource clock, Runnable onChange) {
        TaskEngine engine = TaskEngine.start(settings, on, INSTANCE, clock, new SplittableRandom(7), onChange);
        engines.add(engine);
        return engine;
    }

    private static TaskReport report(TaskEngine engine, DesiredTask task) {
        return engine.snapshot().tasks().get(task.taskArn());
    }

    private static String status(TaskEngine engine, DesiredTask task) {
        TaskReport r = report(engine, task);
        return r == null ? null : r.lastStatus();
    }

    private static TaskReport awaitStatus(TaskEngine engine, DesiredTask task, String status) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> status.equals(status(engine, task)));
        return report(engine, task);
    }

    private static ContainerReport containerOf(TaskReport report, String name) {
        return report.containers().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private static String web(String extra) {
        return container("web", "nginx:1.27", extra);
    }

    @Test
    void runsATaskThroughPendingAndActivatingToRunning() {
        runtime.publishImage("nginx:1.27");
        AtomicReference<TaskEngine> self = new AtomicReference<>();
        List<String> seen = new CopyOnWriteArrayList<>();
        DesiredTask task = running("t1", td("web", web(
                "\"portMappings\":[{\"containerPort\":80},{\"containerPort\":443,\"hostPort\":8443}]")),
                "{}", Map.of("web/443/tcp", 8443));
        TaskEngine engine = start(FAST, runtime, InstantSource.system(), () -> {
            TaskEngine e = self.get();
            String s = e == null ? null : status(e, task);
            if (s != null && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(s))) {
                seen.add(s);
            }
        });
        self.set(engine);

        engine.apply(new DesiredState(1, List.of(task)));
        TaskReport r = awaitStatus(engine, task, "RUNNING");

        assertThat(seen).containsExactly("PENDING", "ACTIVATING", "RUNNING");
        assertThat(r.pullStartedAt()).isNotNull();
        assertThat(r.pullStoppedAt()).isAfterOrEqualTo(r.pullStartedAt());
        assertThat(r.startedAt()).isAfterOrEqualTo(r.pullStoppedAt());
        assertThat(r.healthStatus()).isEqualTo("UNKNOWN");
        ContainerReport web = containerOf(r, "web");
        assertThat(web.lastStatus()).isEqualTo("RUNNING");
        assertThat(web.imageDigest()).startsWith("sha256:");
        assertThat(web.networkBindings()).containsExactlyInAnyOrder(
                new ContainerReport.NetworkBinding("127.0.0.1", 80, 32768, "tcp"),
                new ContainerReport.NetworkBinding("127.0.0.1", 443, 8443, "tcp"));
        ContainerState onHost = runtime.inspect(web.runtimeId(), WAIT).orElseThrow();
        assertThat(onHost.name()).matches("ecs-web-1-web-t1");
        assertThat(onHost.labels()).containsEntry(AgentLabels.TASK_ARN, task.taskArn())
                .containsEntry(AgentLabels.CONTAINER_INSTANCE, INSTANCE);
        assertThat(engine.snapshot().appliedVersion()).isEqualTo(1);
        assertThat(engine.snapshot().ready()).isTrue();
    }

    @Test
    void startsContainersInDependsOnOrder() {
        runtime.addImage("busybox");
        runtime.addImage("postgres");
        runtime.addImage("nginx:1.27");
        runtime.exitAfterStart(s -> s.name().contains("-init-"), 0, Duration.ofMillis(100));
        DesiredTask task = running("t1", td("web",
                container("init", "busybox", "\"essential\":false"),
                container("db", "postgres", "\"healthCheck\":{\"command\":[\"CMD\",\"pg_isready\"]}"),
                web("\"dependsOn\":[{\"containerName\":\"init\",\"condition\":\"SUCCESS\"},"
                        + "{\"containerName\":\"db\",\"condition\":\"HEALTHY\"}]")));
        TaskEngine engine = start(FAST);

        engine.apply(new DesiredState(1, List.of(task)));
        await().atMost(WAIT).until(() -> {
            TaskReport r = report(engine, task);
            return r != null && containerOf(r, "init").exitCode() != null && "RUNNING".equals(containerOf(r, "db").lastStatus());
        });
        sleep(150);

        assertThat(status(engine, task)).isEqualTo("ACTIVATING");
        assertThat(runtime.containers()).noneMatch(c -> c.name().startsWith("ecs-web-1-web-"));

        runtime.setHealth(containerOf(report(engine, task), "db").runtimeId(), "healthy");
        TaskReport r = awaitStatus(engine, task, "RUNNING");

        ContainerState init = runtime.inspect(containerOf(r, "init").runtimeId(), WAIT).orElseThrow();
        ContainerState web = runtime.inspect(containerOf(r, "web").runtimeId(), WAIT).orElseThrow();
        assertThat(web.createdAt()).isAfterOrEqualTo(init.finishedAt());
        assertThat(containerOf(r, "init").exitCode()).isZero();
        assertThat(containerOf(r, "init").lastStatus()).isEqualTo("STOPPED");
    }

    @Test
    void anEssentialContainerThatExitsStopsTheTaskAndTheOtherContainersWithTheirGrace() {
        runtime.addImage("nginx:1.27");
        runtime.addImage("busybox");
        runtime.ignoreSigterm(s -> s.name().contains("-side-"));
        DesiredTask task = running("t1", td("web", web(""),
                container("side", "busybox", "\"essential\":false,\"stopTimeout\":1")));
        TaskEngine engine = start(FAST);
        engine.apply(new DesiredState(1, List.of(task)));
        TaskReport runningReport = awaitStatus(engine, task, "RUNNING");

        runtime.exit(containerOf(runningReport, "web").runtimeId(), 3);
        TaskReport r = awaitStatus(engine, task, "STOPPED");

        assertThat(r.stopCode()).isEqualTo("EssentialContainerExited");
        assertThat(r.stoppedReason()).isEqualTo("Essential container in task exited");
        assertThat(r.executionStoppedAt()).isNotNull();
        assertThat(containerOf(r, "web").exitCode()).isEqualTo(3);
        assertThat(containerOf(r, "side").exitCode()).isEqualTo(137);
        assertThat(runtime.stops()).containsExactly(
                new FakeContainerRuntime.Stop(containerOf(r, "side").runtimeId(), Duration.ofSeconds(1)));
    }

    @Test
    void aNonEssentialContainerThatExitsChangesNothingElse() {
        runtime.addImage("nginx:1.27");
        runtime.addImage("busybox");
        DesiredTask task = running("t1", td("web", web(""), container("side", "busybox", "\"essential\":false")));
        TaskEngine engine = start(FAST);
        engine.apply(new DesiredState(1, List.of(task)));
        TaskReport before = awaitStatus(engine, task, "RUNNING");

        runtime.exit(containerOf(before, "side").runtimeId(), 1);
        await().atMost(WAIT).until(() -> containerOf(report(engine, task), "side").exitCode() != null);
        sleep(100);

        TaskReport r = report(engine, task);
        assertThat(r.lastStatus()).isEqualTo("RUNNING");
        assertThat(containerOf(r, "side").lastStatus()).isEqualTo("STOPPED");
        assertThat(containerOf(r, "side").exitCode()).isEqualTo(1);
        assertThat(containerOf(r, "web").lastStatus()).isEqualTo("RUNNING");
        assertThat(runtime.stops()).isEmpty();
    }

    @Test
    void anImageThatCannotBePulledFailsTheTaskWithCannotPullContainerError() {
        runtime.failPull("nginx:1.27", "manifest for nginx:1.27 not found: manifest unknown");
        DesiredTask task = running("t1", td("web", web("")));
        TaskEngine engine = start(FAST);

        engine.apply(new DesiredState(1, List.of(task)));
        TaskReport r = awaitStatus(engine, task, "STOPPED");

        assertThat(r.stopCode()).isEqualTo("TaskFailedToStart");
        assertThat(r.stoppedReason()).startsWith("CannotPullContainerError: ").contains("manifest unknown");
        assertThat(containerOf(r, "web").reason()).isEqualTo(r.stoppedReason());
        assertThat(containerOf(r, "web").lastStatus()).isEqualTo("STOPPED");
        assertThat(runtime.count("create")).isZero();
    }

    static Stream<Arguments> pullBehaviours() {
        // behaviour, cached locally, pullable, task runs, pulls made
        return Stream.of(
                Arguments.of(PullBehavior.DEFAULT, true, true, true, 1),
                Arguments.of(PullBehavior.DEFAULT, true, false, true, 1),
                Arguments.of(PullBehavior.DEFAULT, false, false, false, 1),
                Arguments.of(PullBehavior.ALWAYS, true, true, true, 1),
                Arguments.of(PullBehavior.ALWAYS, true, false, false, 1),
                Arguments.of(PullBehavior.ONCE, true, false, true, 0),
                Arguments.of(PullBehavior.ONCE, false, true, true, 1),
                Arguments.of(PullBehavior.PREFER_CACHED, true, false, true, 0),
                Arguments.of(PullBehavior.PREFER_CACHED, false, true, true, 1),
                Arguments.of(PullBehavior.PREFER_CACHED, false, false, false, 1));
    }

    @ParameterizedTest(name = "{0}: cached {1}, pullable {2} → runs {3}, {4} pull(s)")
    @MethodSource("pullBehaviours")
    void pullsAsThePullBehaviourSays(PullBehavior behaviour, boolean cached, boolean pullable, boolean runs,
                                     int pulls) {
        if (cached) {
            runtime.addImage("nginx:1.27");
        }
        if (pullable) {
            runtime.publishImage("nginx:1.27");
        }
        DesiredTask task = running("t1", td("web", web("")));
        TaskEngine engine = start(FAST.withPullBehavior(behaviour));

        engine.apply(new DesiredState(1, List.of(task)));
        TaskReport r = awaitStatus(engine, task, runs ? "RUNNING" : "STOPPED");

        assertThat(runtime.count("pull")).isEqualTo(pulls);
        if (!runs) {
            assertThat(r.stoppedReason()).startsWith("CannotPullContainerError: ");
        }
    }

    @Test
    void aContainerThatCannotStartFailsTheTaskWithCannotStartContainerError() {
        runtime.addImage("nginx:1.27");
        runtime.addImage("busybox");
        runtime.failStartForCommand("nosuch");
        DesiredTask task = running("t1", td("web",
                container("side", "busybox", "\"essential\":false"),
                container("web", "nginx:1.27", "\"command\":[\"nosuch\"],"
                        + "\"dependsOn\":[{\"containerName\":\"side\",\"condition\":\"START\"}]")));
        TaskEngine engine = start(FAST);

        engine.apply(new DesiredState(1, List.of(task)));
        TaskReport r = awaitStatus(engine, task, "STOPPED");

        assertThat(r.stopCode()).isEqualTo("TaskFailedToStart");
        assertThat(r.stoppedReason()).startsWith("CannotStartContainerError: ")
                .contains("executable file not found in $PATH");
        assertThat(containerOf(r, "web").reason()).isEqualTo(r.stoppedReason());
        assertThat(containerOf(r, "side").lastStatus()).isEqualTo("STOPPED");
        assertThat(runtime.stops()).hasSize(1);
    }

    @Test
    void aStopAskedByTheServerSendsSigtermThenSigkillAfterTheStopTimeout() {
        runtime.addImage("nginx:1.27");
        runtime.ignoreSigterm(s -> true);
        DesiredTask task = running("t1", td("web", web("\"stopTimeout\":1")));
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicReference<TaskEngine> self = new AtomicReference<>();
        TaskEngine engine = start(FAST, runtime, InstantSource.system(), () -> {
            String s = self.get() == null ? null : status(self.get(), task);
            if (s != null && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(s))) {
                seen.add(s);
            }
        });
        self.set(engine);
        engine.apply(new DesiredState(1, List.of(task)));
        awaitStatus(engine, task, "RUNNING");

        long before = System.nanoTime();
        engine.apply(new DesiredState(2, List.of(stopped(task))));
        TaskReport r = awaitStatus(engine, task, "STOPPED");

        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(seen).containsSubsequence("RUNNING", "STOPPING", "STOPPED");
        assertThat(r.stopCode()).isNull(); // the server keeps its own (UserInitiated)
        assertThat(r.executionStoppedAt()).isNotNull();
        assertThat(containerOf(r, "web").exitCode()).isEqualTo(137);
        assertThat(runtime.stops()).extracting(FakeContainerRuntime.Stop::grace).containsExactly(Duration.ofSeconds(1));
        assertThat(engine.snapshot().appliedVersion()).isEqualTo(2);
    }

    @Test
    void aRestartedEngineAdoptsItsContainersAndNeverCreatesASecond() {
        runtime.addImage("nginx:1.27");
        runtime.addImage("busybox");
        DesiredTask task = running("t1", td("web", web(""), container("side", "busybox", "\"essential\":false")));
        TaskEngine first = start(FAST);
        first.apply(new DesiredState(1, List.of(task)));
        TaskReport before = awaitStatus(first, task, "RUNNING");
        first.close();

        TaskEngine second = start(FAST);
        second.apply(new DesiredState(1, List.of(task)));
        TaskReport after = awaitStatus(second, task, "RUNNING");
        sleep(100);

        assertThat(runtime.count("create")).isEqualTo(2);
        assertThat(runtime.containers()).hasSize(2).allMatch(ContainerState::running);
        assertThat(containerOf(after, "web").runtimeId()).isEqualTo(containerOf(before, "web").runtimeId());
        assertThat(containerOf(after, "side").runtimeId()).isEqualTo(containerOf(before, "side").runtimeId());
        assertThat(after.startedAt()).isNotNull();
    }

    @Test
    void aContainerThatDiedWhileTheAgentWasAwayIsReportedWhenItReturns() {
        runtime.addImage("nginx:1.27");
        DesiredTask task = running("t1", td("web", web("")));
        TaskEngine first = start(FAST);
        first.apply(new DesiredState(1, List.of(task)));
        TaskReport before = awaitStatus(first, task, "RUNNING");
        first.close();

        runtime.exit(containerOf(before, "web").runtimeId(), 2);
        TaskEngine second = start(FAST);
        second.apply(new DesiredState(1, List.of(task)));
        TaskReport r = awaitStatus(second, task, "STOPPED");

        assertThat(r.stopCode()).isEqualTo("EssentialContainerExited");
        assertThat(containerOf(r, "web").exitCode()).isEqualTo(2);
        assertThat(runtime.count("create")).isEqualTo(1);
    }

    @Test
    void containersOfTasksTheServerNoLongerListsAreStoppedAndRemovedUnreported() {
        runtime.addImage("nginx:1.27");
        DesiredTask task = running("t1", td("web", web("")));
        TaskEngine first = start(FAST);
        first.apply(new DesiredState(1, List.of(task)));
        awaitStatus(first, task, "RUNNING");
        first.close();

        TaskEngine second = start(FAST.withCleanupDelay(Duration.ZERO));
        second.apply(new DesiredState(2, List.of()));

        await().atMost(WAIT).until(() -> runtime.containers().isEmpty());
        await().atMost(WAIT).until(() -> second.records().isEmpty());
        assertThat(second.snapshot().tasks()).isEmpty();
    }

    @Test
    void removesTheContainersAndTaskVolumesOfAStoppedTaskAfterTheCleanupDelayThenForgetsIt() {
        ManualClock clock = new ManualClock(Instant.parse("2025-06-01T12:00:00Z"));
        runtime.addImage("nginx:1.27");
        DesiredTask task = running("t1", td("web",
                "\"volumes\":[{\"name\":\"scratch\",\"host\":{}},"
                        + "{\"name\":\"cache\",\"dockerVolumeConfiguration\":{\"scope\":\"shared\",\"autoprovision\":true}}],",
                web("\"mountPoints\":[{\"sourceVolume\":\"scratch\",\"containerPath\":\"/s\"},"
                        + "{\"sourceVolume\":\"cache\",\"containerPath\":\"/c\"}]")));
        TaskEngine engine = start(FAST.withCleanupDelay(Duration.ofMinutes(10)), runtime, clock, () -> { });
        engine.apply(new DesiredState(1, List.of(task)));
        TaskReport r = awaitStatus(engine, task, "RUNNING");
        assertThat(runtime.volumes()).containsOnlyKeys("ecs-web-1-scratch-t1", "cache");
        assertThat(runtime.volumes().get("ecs-web-1-scratch-t1").labels())
                .containsEntry(AgentLabels.TASK_ARN, task.taskArn());
        assertThat(runtime.spec(containerOf(r, "web").runtimeId()).binds())
                .containsExactly("ecs-web-1-scratch-t1:/s", "cache:/c");

        engine.apply(new DesiredState(2, List.of(stopped(task))));
        awaitStatus(engine, task, "STOPPED");
        clock.advance(Duration.ofMinutes(9));
        sleep(100);
        assertThat(runtime.containers()).hasSize(1);

        clock.advance(Duration.ofMinutes(1));
        await().atMost(WAIT).until(() -> runtime.containers().isEmpty());
        await().atMost(WAIT).until(() -> runtime.volumes().keySet().equals(java.util.Set.of("cache")));
        assertThat(engine.records()).containsKey(task.taskArn()); // still listed by the server

        engine.apply(new DesiredState(3, List.of()));
        await().atMost(WAIT).until(() -> engine.records().isEmpty());
        assertThat(engine.snapshot().tasks()).isEmpty();
    }

    @Test
    void reactsToEngineEventsWithoutWaitingForTheNextRelist() {
        runtime.addImage("nginx:1.27");
        DesiredTask task = running("t1", td("web", web("")));
        TaskEngine engine = start(FAST.withRelistInterval(Duration.ofMinutes(5)));
        engine.apply(new DesiredState(1, List.of(task)));
        TaskReport before = awaitStatus(engine, task, "RUNNING");
        await().atMost(WAIT).until(() -> runtime.openEventStreams() == 1);

        runtime.exit(containerOf(before, "web").runtimeId(), 1);

        assertThat(awaitStatus(engine, task, "STOPPED").stopCode()).isEqualTo("EssentialContainerExited");
    }

    @Test
    void catchesWhatTheEventsMissedByRelisting() {
        runtime.addImage("nginx:1.27");
        DesiredTask task = running("t1", td("web", web("")));
        TaskEngine engine = start(FAST.withRelistInterval(Duration.ofMillis(100)), new Deaf(runtime),
                InstantSource.system(), () -> { });
        engine.apply(new DesiredState(1, List.of(task)));
        TaskReport before = awaitStatus(engine, task, "RUNNING");

        runtime.oomKill(containerOf(before, "web").runtimeId());
        TaskReport r = awaitStatus(engine, task, "STOPPED");

        assertThat(containerOf(r, "web").reason()).isEqualTo("OutOfMemoryError: Container killed due to memory usage");
        assertThat(containerOf(r, "web").exitCode()).isEqualTo(137);
        assertThat(r.stopCode()).isEqualTo("EssentialContainerExited");
    }

    @Test
    void waitsForAnEngineThatIsDownAndResubscribesToItsEvents() {
        runtime.addImage("nginx:1.27");
        runtime.setMode(FakeContainerRuntime.Mode.DOWN);
        DesiredTask task = running("t1", td("web", web("")));
        TaskEngine engine = start(FAST.withRelistInterval(Duration.ofMillis(50)));
        engine.apply(new DesiredState(1, List.of(task)));
        sleep(200);
        assertThat(engine.snapshot().ready()).isFalse(); // the host's containers are not known yet

        runtime.setMode(FakeContainerRuntime.Mode.NORMAL);
        TaskReport r = awaitStatus(engine, task, "RUNNING");
        await().atMost(WAIT).until(() -> runtime.openEventStreams() == 1);

        runtime.exit(containerOf(r, "web").runtimeId(), 0);
        awaitStatus(engine, task, "STOPPED");
    }

    @Test
    void retriesCallsThatFailWhileTheEngineIsBrieflyDown() {
        runtime.addImage("nginx:1.27");
        DesiredTask task = running("t1", td("web", web("")));
        TaskEngine engine = start(FAST.withRetries(Duration.ofMillis(20), 10));
        engine.apply(new DesiredState(1, List.of()));
        await().atMost(WAIT).until(() -> engine.snapshot().ready());

        runtime.setMode(FakeContainerRuntime.Mode.DOWN);
        engine.apply(new DesiredState(2, List.of(task)));
        sleep(150);
        runtime.setMode(FakeContainerRuntime.Mode.NORMAL);

        awaitStatus(engine, task, "RUNNING");
        assertThat(runtime.count("create")).isEqualTo(1);
    }

    @Test
    void givesUpOnAnEngineThatStaysDown() {
        runtime.addImage("nginx:1.27");
        DesiredTask task = running("t1", td("web", web("")));
        TaskEngine engine = start(FAST);
        engine.apply(new DesiredState(1, List.of()));
        await().atMost(WAIT).until(() -> engine.snapshot().ready());

        runtime.setMode(FakeContainerRuntime.Mode.DOWN);
        engine.apply(new DesiredState(2, List.of(task)));
        TaskReport r = awaitStatus(engine, task, "STOPPED");

        assertThat(r.stopCode()).isEqualTo("TaskFailedToStart");
        assertThat(r.stoppedReason()).startsWith("CannotPullContainerError: ").contains("Cannot connect");
    }

    @Test
    void reportsHealthFromTheEnginesHealthChecks() {
        runtime.addImage("nginx:1.27");
        DesiredTask task = running("t1", td("web",
                web("\"healthCheck\":{\"command\":[\"CMD-SHELL\",\"curl -f localhost\"],\"interval\":5}")));
        TaskEngine engine = start(FAST);
        engine.apply(new DesiredState(1, List.of(task)));
        TaskReport r = awaitStatus(engine, task, "RUNNING");
        assertThat(r.healthStatus()).isEqualTo("UNKNOWN");
        String id = containerOf(r, "web").runtimeId();
        assertThat(runtime.spec(id).healthCheck().interval()).isEqualTo(Duration.ofSeconds(5));

        runtime.setHealth(id, "healthy");
        await().atMost(WAIT).until(() -> "HEALTHY".equals(report(engine, task).healthStatus()));
        assertThat(containerOf(report(engine, task), "web").healthStatus()).isEqualTo("HEALTHY");

        runtime.setHealth(id, "unhealthy");
        await().atMost(WAIT).until(() -> "UNHEALTHY".equals(report(engine, task).healthStatus()));
        assertThat(status(engine, task)).isEqualTo("RUNNING"); // ECS does not stop unhealthy tasks itself
    }

    @Test
    void refusesWhatItCannotRunWithoutTouchingTheEngine() {
        DesiredTask task = running("t1", td("web", web("\"privileged\":true")));
        TaskEngine engine = start(FAST);

        engine.apply(new DesiredState(1, List.of(task)));
        TaskReport r = awaitStatus(engine, task, "STOPPED");

        assertThat(r.stopCode()).isEqualTo("TaskFailedToStart");
        assertThat(r.stoppedReason()).contains("privileged containers are not allowed");
        assertThat(runtime.count("pull")).isZero();
        assertThat(runtime.count("create")).isZero();
    }

    @Test
    void mountsTheVolumesOfAnotherContainerByItsRuntimeId() {
        runtime.addImage("busybox");
        runtime.addImage("nginx:1.27");
        DesiredTask task = running("t1", td("web",
                container("data", "busybox", "\"essential\":false"),
                web("\"volumesFrom\":[{\"sourceContainer\":\"data\",\"readOnly\":true}]")));
        TaskEngine engine = start(FAST);

        engine.apply(new DesiredState(1, List.of(task)));
        TaskReport r = awaitStatus(engine, task, "RUNNING");

        assertThat(runtime.spec(containerOf(r, "web").runtimeId()).volumesFrom())
                .containsExactly(containerOf(r, "data").runtimeId() + ":ro");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A runtime whose event stream never says anything: only relisting sees changes. */
    private record Deaf(ContainerRuntime inner) implements ContainerRuntime {
        @Override
        public HostInfo host(Duration timeout) {
            return inner.host(timeout);
        }

        @Override
        public Optional<ImageInfo> image(String reference, Duration timeout) {
            return inner.image(reference, timeout);
        }

        @Override
        public ImageInfo pull(String reference, RegistryAuth auth, Duration timeout) {
            return inner.pull(reference, auth, timeout);
        }

        @Override
        public void load(InputStream tar, Duration timeout) {
            inner.load(tar, timeout);
        }

        @Override
        public String create(ContainerSpec spec, Duration timeout) {
            return inner.create(spec, timeout);
        }

        @Override
        public void start(String containerId, Duration timeout) {
            inner.start(containerId, timeout);
        }

        @Override
        public void stop(String containerId, Duration grace, Duration timeout) {
            inner.stop(containerId, grace, timeout);
        }

        @Override
        public void remove(String containerId, Duration timeout) {
            inner.remove(containerId, timeout);
        }

        @Override
        public Optional<ContainerState> inspect(String containerId, Duration timeout) {
            return inner.inspect(containerId, timeout);
        }

        @Override
        public List<ContainerState> list(Map<String, String> labels, Duration timeout) {
            return inner.list(labels, timeout);
        }

        @Override
        public void createVolume(String name, String driver, Map<String, String> driverOptions,
                                 Map<String, String> labels, Duration timeout) {
            inner.createVolume(name, driver, driverOptions, labels, timeout);
        }

        @Override
        public void removeVolume(String name, Duration timeout) {
            inner.removeVolume(name, timeout);
        }

        @Override
        public AutoCloseable events(Map<String, String> labels, Consumer<ContainerEvent> listener, Runnable onClose) {
            return () -> { };
        }

        @Override
        public void close() {
        }
    }
}
