package io.berth.agent.engine;

import static io.berth.agent.engine.ContainerPhase.CREATED;
import static io.berth.agent.engine.ContainerPhase.CREATING;
import static io.berth.agent.engine.ContainerPhase.NONE;
import static io.berth.agent.engine.ContainerPhase.PULLED;
import static io.berth.agent.engine.ContainerPhase.PULLING;
import static io.berth.agent.engine.ContainerPhase.RUNNING;
import static io.berth.agent.engine.ContainerPhase.STARTING;
import static io.berth.agent.engine.ContainerPhase.STOPPED;
import static io.berth.agent.engine.Tasks.INSTANCE;
import static io.berth.agent.engine.Tasks.container;
import static io.berth.agent.engine.Tasks.running;
import static io.berth.agent.engine.Tasks.td;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The decision function, as a table: a task's record now → its next phase, the actions, the stop code. */
class TaskPlannerTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final EngineSettings SETTINGS = EngineSettings.defaults();

    /** app: essential, stopTimeout 7 s; side: not essential, the default 30 s. */
    private static final String SIMPLE = td("app", container("app", "nginx", "\"stopTimeout\":7"),
            container("side", "busybox", "\"essential\":false"));

    private static String deps(String condition) {
        return td("app",
                container("init", "busybox", "\"essential\":false,\"healthCheck\":{\"command\":[\"CMD\",\"true\"]}"),
                container("app", "nginx", "\"dependsOn\":[{\"containerName\":\"init\",\"condition\":\"" + condition
                        + "\"}]"));
    }

    private static final String VOLS = td("app", "\"volumes\":[{\"name\":\"scratch\",\"host\":{}}],",
            container("data", "busybox", "\"essential\":false"),
            container("app", "nginx", "\"volumesFrom\":[{\"sourceContainer\":\"data\"}],"
                    + "\"mountPoints\":[{\"sourceVolume\":\"scratch\",\"containerPath\":\"/s\"}]"));

    private static TaskRecord task(String tdJson) {
        var desired = running("t1", tdJson);
        return TaskRecord.of(desired, TaskSpecs.read(desired, INSTANCE, SETTINGS));
    }

    private static TaskRecord phase(TaskRecord t, TaskPhase phase) {
        return t.copy().phase(phase).build();
    }

    private static TaskRecord stopRequested(TaskRecord t) {
        return t.copy().stopRequested(true).build();
    }

    private static TaskRecord c(TaskRecord t, String name, UnaryOperator<ContainerRecord.Copy> change) {
        return t.with(change.apply(t.container(name).orElseThrow().copy()).build());
    }

    // container states
    private static UnaryOperator<ContainerRecord.Copy> at(ContainerPhase p) {
        return k -> k.phase(p);
    }

    private static UnaryOperator<ContainerRecord.Copy> busy(ContainerPhase p) {
        return k -> k.phase(p).busy(true);
    }

    private static UnaryOperator<ContainerRecord.Copy> created(String id) {
        return k -> k.phase(CREATED).runtime(id, "ecs-" + id);
    }

    private static UnaryOperator<ContainerRecord.Copy> up(String id) {
        return k -> k.phase(RUNNING).runtime(id, "ecs-" + id).started(NOW.minusSeconds(60));
    }

    private static UnaryOperator<ContainerRecord.Copy> healthy(String id) {
        return k -> up(id).apply(k).engineHealth("healthy");
    }

    private static UnaryOperator<ContainerRecord.Copy> exited(String id, int code) {
        return k -> up(id).apply(k).exited(code, NOW.minusSeconds(1));
    }

    private static UnaryOperator<ContainerRecord.Copy> failed(String reason) {
        return k -> k.failed(reason);
    }

    private static TaskRecord stoppedAgo(TaskRecord t, Duration ago) {
        return t.copy().phase(TaskPhase.STOPPED).stopRequested(true).executionStoppedAt(NOW.minus(ago)).build();
    }

    static Stream<Arguments> table() {
        TaskRecord simple = task(SIMPLE);
        TaskRecord activating = phase(simple, TaskPhase.ACTIVATING);
        TaskRecord runningTask = c(c(phase(simple, TaskPhase.RUNNING), "app", up("a1")), "side", up("s1"));
        return Stream.of(
                row("a new task pulls every image", simple,
                        TaskPhase.PENDING, List.of("pull app", "pull side"), null, null),
                row("pulls in flight: nothing more to do", c(c(simple, "app", busy(PULLING)), "side", busy(PULLING)),
                        TaskPhase.PENDING, List.of(), null, null),
                row("one image still pulling: still PENDING", c(c(simple, "app", at(PULLED)), "side", busy(PULLING)),
                        TaskPhase.PENDING, List.of(), null, null),
                row("every image pulled: ACTIVATING, create the containers", c(c(simple, "app", at(PULLED)), "side",
                        at(PULLED)), TaskPhase.ACTIVATING, List.of("create app", "create side"), null, null),
                row("created containers start", c(c(activating, "app", created("a1")), "side", created("s1")),
                        TaskPhase.ACTIVATING, List.of("start app", "start side"), null, null),
                row("every essential container runs: RUNNING (others may be pending)",
                        c(c(activating, "app", up("a1")), "side", busy(STARTING)),
                        TaskPhase.RUNNING, List.of(), null, null),
                row("a non-essential container that exits changes nothing",
                        c(runningTask, "side", exited("s1", 1)), TaskPhase.RUNNING, List.of(), null, null),
                row("an essential container that exits stops the others, each with its stop timeout",
                        c(runningTask, "app", exited("a1", 2)), TaskPhase.STOPPING, List.of("stop side 30s"),
                        "EssentialContainerExited", "Essential container in task exited"),
                row("an essential container that cannot start fails the task",
                        c(c(activating, "app", failed("CannotStartContainerError: boom")), "side", up("s1")),
                        TaskPhase.STOPPING, List.of("stop side 30s"), "TaskFailedToStart",
                        "CannotStartContainerError: boom"),
                row("an image that cannot be pulled fails the task before anything runs",
                        c(c(simple, "app", failed("CannotPullContainerError: denied")), "side", at(PULLED)),
                        TaskPhase.STOPPED, List.of(), "TaskFailedToStart", "CannotPullContainerError: denied"),
                row("the server's stop: STOPPING, SIGTERM with each container's stop timeout",
                        stopRequested(runningTask), TaskPhase.STOPPING, List.of("stop app 7s", "stop side 30s"),
                        null, null),
                row("a stop waits for the calls in flight", stopRequested(c(simple, "app", busy(PULLING))),
                        TaskPhase.STOPPING, List.of(), null, null),
                row("a stop before anything ran: STOPPED at once", stopRequested(simple),
                        TaskPhase.STOPPED, List.of(), null, null),
                row("every container stopped: STOPPED", phase(stopRequested(c(c(simple, "app", exited("a1", 143)),
                        "side", exited("s1", 143))), TaskPhase.STOPPING), TaskPhase.STOPPED, List.of(), null, null),
                row("STOPPED: nothing until the cleanup delay passed",
                        stoppedAgo(c(simple, "app", exited("a1", 0)), Duration.ofMinutes(9)),
                        TaskPhase.STOPPED, List.of(), null, null),
                row("STOPPED and the delay passed: remove the containers and the task's volumes",
                        stoppedAgo(c(c(task(VOLS), "data", exited("d1", 0)), "app", exited("a1", 0)),
                                Duration.ofMinutes(10)),
                        TaskPhase.STOPPED, List.of("cleanup [d1, a1] [ecs-app-1-scratch-t1]"), null, null),
                row("a task Berth refuses fails to start", task(td("app", "\"networkMode\":\"awsvpc\",",
                        container("app", "nginx", ""))), TaskPhase.STOPPED, List.of(), "TaskFailedToStart",
                        "network mode awsvpc"),
                row("a step that failed transiently waits for its retry time",
                        c(simple, "app", k -> k.retry(1, NOW.plusSeconds(1))), TaskPhase.PENDING,
                        List.of("pull side"), null, null),
                row("START: waits until the dependency started", c(c(phase(task(deps("START")), TaskPhase.ACTIVATING),
                        "init", busy(STARTING)), "app", at(PULLED)), TaskPhase.ACTIVATING, List.of(), null, null),
                row("START: met once the dependency runs", c(c(phase(task(deps("START")), TaskPhase.ACTIVATING),
                        "init", up("i1")), "app", at(PULLED)), TaskPhase.ACTIVATING, List.of("create app"),
                        null, null),
                row("COMPLETE: waits while the dependency runs", c(c(phase(task(deps("COMPLETE")),
                        TaskPhase.ACTIVATING), "init", up("i1")), "app", at(PULLED)), TaskPhase.ACTIVATING,
                        List.of(), null, null),
                row("COMPLETE: met by any exit", c(c(phase(task(deps("COMPLETE")), TaskPhase.ACTIVATING),
                        "init", exited("i1", 3)), "app", at(PULLED)), TaskPhase.ACTIVATING, List.of("create app"),
                        null, null),
                row("SUCCESS: met by exit 0", c(c(phase(task(deps("SUCCESS")), TaskPhase.ACTIVATING),
                        "init", exited("i1", 0)), "app", at(PULLED)), TaskPhase.ACTIVATING, List.of("create app"),
                        null, null),
                row("SUCCESS: never met after exit 1: the task fails", c(c(phase(task(deps("SUCCESS")),
                        TaskPhase.ACTIVATING), "init", exited("i1", 1)), "app", at(PULLED)), TaskPhase.STOPPED,
                        List.of(), "TaskFailedToStart",
                        "DependencyConditionNotMet: container init exited with code 1 (dependsOn condition SUCCESS)"),
                row("HEALTHY: waits while the health check is starting", c(c(phase(task(deps("HEALTHY")),
                        TaskPhase.ACTIVATING), "init", up("i1")), "app", at(PULLED)), TaskPhase.ACTIVATING,
                        List.of(), null, null),
                row("HEALTHY: met once healthy", c(c(phase(task(deps("HEALTHY")), TaskPhase.ACTIVATING),
                        "init", healthy("i1")), "app", at(PULLED)), TaskPhase.ACTIVATING, List.of("create app"),
                        null, null),
                row("volumesFrom: waits until the source container exists", c(c(phase(task(VOLS),
                        TaskPhase.ACTIVATING), "data", busy(CREATING)), "app", at(PULLED)), TaskPhase.ACTIVATING,
                        List.of(), null, null),
                row("volumesFrom: the source exists (created, not started)", c(c(phase(task(VOLS),
                        TaskPhase.ACTIVATING), "data", created("d1")), "app", at(PULLED)), TaskPhase.ACTIVATING,
                        List.of("start data", "create app"), null, null),
                row("adopted half a task: pulls what is missing, keeps what runs",
                        c(c(phase(simple, TaskPhase.ACTIVATING), "app", up("a1")), "side", at(NONE)),
                        TaskPhase.RUNNING, List.of("pull side"), null, null));
    }

    private static Arguments row(String name, TaskRecord before, TaskPhase phase, List<String> actions,
                                 String stopCode, String reason) {
        return Arguments.of(name, before, phase, actions, stopCode, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String name, TaskRecord before, TaskPhase phase, List<String> actions, String stopCode,
                 String reason) {
        TaskPlanner.Step step = TaskPlanner.plan(before, NOW, SETTINGS);

        assertThat(step.task().phase()).as("phase").isEqualTo(phase);
        assertThat(step.actions()).as("actions").map(TaskPlannerTest::describe).containsExactlyElementsOf(actions);
        assertThat(step.task().stopCode()).as("stop code").isEqualTo(stopCode);
        if (reason == null) {
            assertThat(step.task().stoppedReason()).as("stopped reason").isNull();
        } else {
            assertThat(step.task().stoppedReason()).as("stopped reason").contains(reason);
        }
        if (phase == TaskPhase.STOPPED && before.phase() != TaskPhase.STOPPED) {
            assertThat(step.task().executionStoppedAt()).isEqualTo(NOW);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void planningTwiceNeverActsTwice(String name, TaskRecord before) {
        TaskPlanner.Step first = TaskPlanner.plan(before, NOW, SETTINGS);
        TaskPlanner.Step second = TaskPlanner.plan(first.task(), NOW, SETTINGS);

        assertThat(second.actions()).isEmpty();
        assertThat(second.task()).isEqualTo(first.task());
    }

    @Test
    void pullTimesAreThoseOfTheFirstPullAndOfTheLastImage() {
        TaskRecord pulling = TaskPlanner.plan(task(SIMPLE), NOW, SETTINGS).task();
        assertThat(pulling.pullStartedAt()).isEqualTo(NOW);
        assertThat(pulling.pullStoppedAt()).isNull();

        TaskRecord pulled = c(c(pulling, "app", k -> k.phase(PULLED).settled()), "side", k -> k.phase(PULLED).settled());
        TaskRecord activating = TaskPlanner.plan(pulled, NOW.plusSeconds(3), SETTINGS).task();
        assertThat(activating.pullStartedAt()).isEqualTo(NOW);
        assertThat(activating.pullStoppedAt()).isEqualTo(NOW.plusSeconds(3));
    }

    @Test
    void aTaskRunsOnceEveryEssentialContainerRunsAndStartedAtIsThatMoment() {
        TaskRecord t = c(c(phase(task(SIMPLE), TaskPhase.ACTIVATING), "app", up("a1")), "side", at(STOPPED));

        TaskRecord next = TaskPlanner.plan(t, NOW, SETTINGS).task();

        assertThat(next.phase()).isEqualTo(TaskPhase.RUNNING);
        assertThat(next.startedAt()).isEqualTo(NOW);
    }

    @Test
    void aCleanedTaskIsLeftAlone() {
        TaskRecord t = stoppedAgo(task(SIMPLE), Duration.ofHours(1)).copy().cleaned(true).build();

        assertThat(TaskPlanner.plan(t, NOW, SETTINGS).actions()).isEmpty();
    }

    static String describe(Action a) {
        return switch (a) {
            case Action.Pull p -> "pull " + p.container();
            case Action.Create c -> "create " + c.container();
            case Action.Start s -> "start " + s.container();
            case Action.Stop s -> "stop " + s.container() + " " + s.grace().toSeconds() + "s";
            case Action.Cleanup c -> "cleanup " + c.runtimeIds() + " " + c.volumes();
        };
    }
}
