package io.berth.agent.engine;

import static io.berth.agent.engine.ContainerPhase.CREATED;
import static io.berth.agent.engine.ContainerPhase.CREATING;
import static io.berth.agent.engine.ContainerPhase.NONE;
import static io.berth.agent.engine.ContainerPhase.PULLED;
import static io.berth.agent.engine.ContainerPhase.PULLING;
import static io.berth.agent.engine.ContainerPhase.RUNNING;
import static io.berth.agent.engine.ContainerPhase.STARTING;
import static io.berth.agent.engine.ContainerPhase.STOPPED;
import static io.berth.agent.engine.ContainerPhase.STOPPING;
import static io.berth.agent.engine.Tasks.INSTANCE;
import static io.berth.agent.engine.Tasks.container;
import static io.berth.agent.engine.Tasks.running;
import static io.berth.agent.engine.Tasks.td;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.agent.AgentLabels;
import io.berth.core.runtime.ContainerState;
import io.berth.core.runtime.ContainerState.PortBinding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TransitionsTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final EngineSettings SETTINGS = EngineSettings.defaults().withRetries(java.time.Duration.ofSeconds(1), 3);
    private static final String TD = td("app", container("app", "nginx", "\"healthCheck\":{\"command\":[\"CMD\",\"true\"]}"),
            container("side", "busybox", "\"essential\":false"));

    private static TaskRecord task() {
        var desired = running("t1", TD);
        return TaskRecord.of(desired, TaskSpecs.read(desired, INSTANCE, SETTINGS));
    }

    private static TaskRecord withApp(ContainerPhase phase) {
        TaskRecord t = task();
        ContainerRecord app = t.container("app").orElseThrow();
        return t.with(app.copy().phase(phase).busy(true).runtime(phase.compareTo(CREATED) >= 0 ? "a1" : null, "h")
                .build());
    }

    private static ContainerState state(String id, String status, Integer exitCode, boolean oom, String error,
                                        String health, String name) {
        return new ContainerState(id, "ecs-app-1-" + name + "-0011", "nginx", "sha256:img", status, exitCode, oom, error,
                NOW.minusSeconds(90), "created".equals(status) ? null : NOW.minusSeconds(60),
                "exited".equals(status) ? NOW.minusSeconds(1) : null, health,
                Map.of(AgentLabels.TASK_ARN, Tasks.arn("t1"), AgentLabels.CONTAINER_NAME, name,
                        AgentLabels.CONTAINER_INSTANCE, INSTANCE),
                "running".equals(status) ? List.of(new PortBinding(80, "tcp", "127.0.0.1", 32768)) : List.of());
    }

    /** Every (container phase, outcome) pair → the container's next phase. */
    @Test
    void everyOutcomeInEveryPhase() {
        Map<String, Function<String, Outcome>> outcomes = new LinkedHashMap<>();
        outcomes.put("Pulled", arn -> new Outcome.Pulled(arn, "app", "sha256:d"));
        outcomes.put("PullFailed", arn -> new Outcome.PullFailed(arn, "app", "CannotPullContainerError: x"));
        outcomes.put("Created", arn -> new Outcome.Created(arn, "app", "a1", "h"));
        outcomes.put("Started", arn -> new Outcome.Started(arn, "app", null));
        outcomes.put("Stopped", arn -> new Outcome.Stopped(arn, "app", null));
        outcomes.put("Failed", arn -> new Outcome.Failed(arn, "app", "CannotStartContainerError: x"));
        outcomes.put("Transient", arn -> new Outcome.Transient(arn, "app", "engine down", false));

        Map<ContainerPhase, List<ContainerPhase>> expected = new EnumMap<>(ContainerPhase.class);
        //                       Pulled   PullFailed Created  Started  Stopped  Failed   Transient
        expected.put(NONE, List.of(NONE, STOPPED, NONE, NONE, STOPPED, STOPPED, NONE));
        expected.put(PULLING, List.of(PULLED, STOPPED, PULLING, PULLING, STOPPED, STOPPED, NONE));
        expected.put(PULLED, List.of(PULLED, STOPPED, PULLED, PULLED, STOPPED, STOPPED, PULLED));
        expected.put(CREATING, List.of(CREATING, STOPPED, CREATED, CREATING, STOPPED, STOPPED, PULLED));
        expected.put(CREATED, List.of(CREATED, STOPPED, CREATED, CREATED, STOPPED, STOPPED, CREATED));
        expected.put(STARTING, List.of(STARTING, STOPPED, STARTING, RUNNING, STOPPED, STOPPED, CREATED));
        expected.put(RUNNING, List.of(RUNNING, STOPPED, RUNNING, RUNNING, STOPPED, STOPPED, RUNNING));
        expected.put(STOPPING, List.of(STOPPING, STOPPED, STOPPING, STOPPING, STOPPED, STOPPED, STOPPING));
        expected.put(STOPPED, List.of(STOPPED, STOPPED, STOPPED, STOPPED, STOPPED, STOPPED, STOPPED));

        List<String> wrong = new ArrayList<>();
        for (ContainerPhase from : ContainerPhase.values()) {
            int i = 0;
            for (var e : outcomes.entrySet()) {
                TaskRecord before = withApp(from);
                TaskRecord after = Transitions.apply(before, e.getValue().apply(before.taskArn()), NOW, SETTINGS);
                ContainerRecord app = after.container("app").orElseThrow();
                ContainerPhase want = expected.get(from).get(i++);
                if (app.phase() != want || app.busy()) {
                    wrong.add(from + " + " + e.getKey() + " → " + app.phase() + (app.busy() ? " (busy)" : "")
                            + ", expected " + want);
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void theWirePhasesOfEveryInternalPhase() {
        Map<ContainerPhase, String> wire = new EnumMap<>(ContainerPhase.class);
        for (ContainerPhase p : ContainerPhase.values()) {
            wire.put(p, p.wire());
        }
        assertThat(wire).containsExactlyInAnyOrderEntriesOf(Map.of(NONE, "PENDING", PULLING, "PENDING",
                PULLED, "PENDING", CREATING, "PENDING", CREATED, "PENDING", STARTING, "PENDING", RUNNING, "RUNNING",
                STOPPING, "RUNNING", STOPPED, "STOPPED"));
        assertThat(TaskPhase.values()).extracting(TaskPhase::wire)
                .containsExactly("PENDING", "ACTIVATING", "RUNNING", "STOPPING", "STOPPED");
    }

    @Test
    void transientFailuresAreRetriedWithGrowingDelaysThenFailTheContainer() {
        TaskRecord t = withApp(STARTING);
        Outcome timeout = new Outcome.Transient(t.taskArn(), "app", "start container a1: no answer", true);

        TaskRecord once = Transitions.apply(t, timeout, NOW, SETTINGS);
        assertThat(once.container("app").orElseThrow().retryAt()).isEqualTo(NOW.plusSeconds(1));
        TaskRecord twice = Transitions.apply(withPhase(once, STARTING), timeout, NOW, SETTINGS);
        assertThat(twice.container("app").orElseThrow().retryAt()).isEqualTo(NOW.plusSeconds(2));
        TaskRecord thrice = Transitions.apply(withPhase(twice, STARTING), timeout, NOW, SETTINGS);

        ContainerRecord app = thrice.container("app").orElseThrow();
        assertThat(app.phase()).isEqualTo(STOPPED);
        assertThat(app.failedToStart()).isTrue();
        assertThat(app.reason()).isEqualTo("ContainerRuntimeTimeoutError: start container a1: no answer");
    }

    private static TaskRecord withPhase(TaskRecord t, ContainerPhase phase) {
        return t.with(t.container("app").orElseThrow().copy().phase(phase).busy(true).build());
    }

    @Test
    void observingARunningContainerTakesItsPortsAndHealth() {
        TaskRecord t = Transitions.observe(withApp(STARTING), state("a1", "running", null, false, null, "healthy", "app"));

        ContainerRecord app = t.container("app").orElseThrow();
        assertThat(app.phase()).isEqualTo(RUNNING);
        assertThat(app.everStarted()).isTrue();
        assertThat(app.ports()).containsExactly(new PortBinding(80, "tcp", "127.0.0.1", 32768));
        assertThat(app.health()).isEqualTo("HEALTHY");
        assertThat(TaskReports.of(t).healthStatus()).isEqualTo("HEALTHY");
        assertThat(TaskReports.of(t).containers().get(0).networkBindings()).singleElement()
                .satisfies(b -> assertThat(b.hostPort()).isEqualTo(32768));
        assertThat(TaskReports.of(t).containers().get(1).healthStatus()).isEqualTo("UNKNOWN");
    }

    @Test
    void anUnhealthyEssentialContainerMakesTheTaskUnhealthy() {
        TaskRecord t = Transitions.observe(withApp(RUNNING), state("a1", "running", null, false, null, "unhealthy", "app"));

        assertThat(TaskReports.of(t).healthStatus()).isEqualTo("UNHEALTHY");
        assertThat(TaskReports.of(Transitions.observe(t, state("a1", "running", null, false, null, "starting", "app")))
                .healthStatus()).isEqualTo("UNKNOWN");
    }

    @Test
    void anOomKillTheEngineLearnsOfAfterTheExitStillExplainsIt() {
        TaskRecord exited = Transitions.observe(withApp(RUNNING), state("a1", "exited", 137, false, null, "none", "app"));
        assertThat(exited.container("app").orElseThrow().reason()).isNull();

        TaskRecord oom = Transitions.observe(exited, state("a1", "exited", 137, true, null, "none", "app"));
        assertThat(oom.container("app").orElseThrow()).satisfies(c -> {
            assertThat(c.exitCode()).isEqualTo(137);
            assertThat(c.reason()).isEqualTo("OutOfMemoryError: Container killed due to memory usage");
        });
        assertThat(Transitions.observe(oom, state("a1", "exited", 137, true, null, "none", "app"))).isEqualTo(oom);
    }

    @Test
    void observingExitsKeepsTheExitCodeAndExplainsOomKillsAndFailedStarts() {
        TaskRecord oom = Transitions.observe(withApp(RUNNING), state("a1", "exited", 137, true, null, "none", "app"));
        assertThat(oom.container("app").orElseThrow()).satisfies(c -> {
            assertThat(c.phase()).isEqualTo(STOPPED);
            assertThat(c.exitCode()).isEqualTo(137);
            assertThat(c.reason()).isEqualTo("OutOfMemoryError: Container killed due to memory usage");
            assertThat(c.failedToStart()).isFalse();
        });

        ContainerState neverRan = new ContainerState("a1", "n", "nginx", "sha256:img", "exited", 127, false,
                "exec: \"nosuch\": executable file not found", NOW, null, NOW, "none", Map.of(), List.of());
        TaskRecord failed = Transitions.observe(withApp(CREATED), neverRan);
        assertThat(failed.container("app").orElseThrow()).satisfies(c -> {
            assertThat(c.failedToStart()).isTrue();
            assertThat(c.reason()).startsWith("CannotStartContainerError: exec:");
        });
    }

    @Test
    void aContainerThatVanishedIsStopped() {
        TaskRecord t = Transitions.observe(withApp(STARTING), state("a1", "running", null, false, null, "none", "app"));

        ContainerRecord app = Transitions.gone(t, "a1").container("app").orElseThrow();

        assertThat(app.phase()).isEqualTo(STOPPED);
        assertThat(app.reason()).isEqualTo(Transitions.GONE_REASON);
    }

    @Test
    void adoptsRunningContainersAsARunningTaskStartedWhenTheLastEssentialOneStarted() {
        var desired = running("t1", TD);
        TaskSpec spec = TaskSpecs.read(desired, INSTANCE, SETTINGS);

        TaskRecord t = Transitions.adopt(desired, spec, List.of(
                state("a1", "running", null, false, null, "healthy", "app"),
                state("s1", "exited", 0, false, null, "none", "side")));

        assertThat(t.phase()).isEqualTo(TaskPhase.RUNNING);
        assertThat(t.startedAt()).isEqualTo(NOW.minusSeconds(60));
        assertThat(t.container("app").orElseThrow().runtimeId()).isEqualTo("a1");
        assertThat(t.container("side").orElseThrow()).satisfies(c -> {
            assertThat(c.phase()).isEqualTo(STOPPED);
            assertThat(c.exitCode()).isZero();
        });
    }

    @Test
    void adoptsHalfATaskAsActivatingAndLeavesTheMissingContainerToBeCreated() {
        var desired = running("t1", TD);
        TaskSpec spec = TaskSpecs.read(desired, INSTANCE, SETTINGS);

        TaskRecord t = Transitions.adopt(desired, spec, List.of(state("s1", "created", null, false, null, "none",
                "side")));

        assertThat(t.phase()).isEqualTo(TaskPhase.ACTIVATING);
        assertThat(t.container("app").orElseThrow().phase()).isEqualTo(NONE);
        assertThat(t.container("side").orElseThrow().phase()).isEqualTo(CREATED);
    }

    @Test
    void orphansAreStoppedNeverReported() {
        TaskRecord t = Transitions.orphan(Tasks.arn("gone"), List.of(
                state("a1", "running", null, false, null, "none", "app")), SETTINGS);

        assertThat(t.reported()).isFalse();
        assertThat(t.stopWanted()).isTrue();
        TaskPlanner.Step step = TaskPlanner.plan(t, NOW, SETTINGS);
        assertThat(step.actions()).map(TaskPlannerTest::describe).containsExactly("stop ecs-app-1-app-0011 30s");
    }
}
