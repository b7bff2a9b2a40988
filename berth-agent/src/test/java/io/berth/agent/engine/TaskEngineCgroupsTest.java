package io.berth.agent.engine;

import static io.berth.agent.engine.Tasks.INSTANCE;
import static io.berth.agent.engine.Tasks.container;
import static io.berth.agent.engine.Tasks.running;
import static io.berth.agent.engine.Tasks.stopped;
import static io.berth.agent.engine.Tasks.td;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.core.agent.DesiredState;
import io.berth.core.agent.DesiredTask;
import io.berth.core.agent.TaskReport;
import io.berth.core.runtime.ContainerSpec;
import io.berth.core.runtime.TaskLimits;
import io.berth.testkit.runtime.FakeContainerRuntime;
import io.berth.testkit.runtime.FakeTaskCgroups;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine puts a task with task-level cpu or memory into its own cgroup, where the host has them. */
class TaskEngineCgroupsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final long MIB = 1024L * 1024L;
    private static final EngineSettings FAST = EngineSettings.defaults()
            .withTick(Duration.ofMillis(10))
            .withRelistInterval(Duration.ofMillis(300))
            .withStopTimeout(Duration.ofSeconds(1))
            .withCleanupDelay(Duration.ZERO)
            .withRetries(Duration.ofMillis(20), 3);
    private static final DesiredTask TASK = running("t1", td("limited", "\"cpu\":\"256\",\"memory\":\"64\",",
            container("app", "busybox", ""), container("side", "busybox", "\"memory\":32,\"essential\":false")));

    private final FakeContainerRuntime runtime = new FakeContainerRuntime();
    private final FakeTaskCgroups cgroups = new FakeTaskCgroups();
    private TaskEngine engine;

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
        runtime.close();
    }

    private TaskReport runToRunning() {
        runtime.addImage("busybox");
        engine = TaskEngine.start(FAST, runtime, INSTANCE, InstantSource.system(), new SplittableRandom(7), () -> { });
        engine.apply(new DesiredState(1, List.of(TASK)));
        await().atMost(WAIT).until(() -> {
            TaskReport r = engine.snapshot().tasks().get(TASK.taskArn());
            return r != null && "RUNNING".equals(r.lastStatus());
        });
        return engine.snapshot().tasks().get(TASK.taskArn());
    }

    private ContainerSpec spec(TaskReport r, String name) {
        return runtime.spec(r.containers().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow()
                .runtimeId());
    }

    @Test
    void theContainersGoUnderTheTaskCgroupWhichGoesWithThem() {
        runtime.setTaskCgroups(cgroups);
        TaskReport r = runToRunning();

        assertThat(cgroups.cgroups()).containsExactlyEntriesOf(java.util.Map.of("t1",
                new TaskLimits(64 * MIB, 25_000L, 100_000, null)));
        assertThat(spec(r, "app").cgroupParent()).isEqualTo("/ecs/t1");
        assertThat(spec(r, "app").memoryBytes()).isNull();
        assertThat(spec(r, "side").cgroupParent()).isEqualTo("/ecs/t1");
        assertThat(spec(r, "side").memoryBytes()).isEqualTo(32 * MIB);

        engine.apply(new DesiredState(2, List.of(stopped(TASK))));
        await().atMost(WAIT).until(() -> runtime.containers().isEmpty());
        await().atMost(WAIT).until(() -> cgroups.cgroups().isEmpty());
    }

    @Test
    void aRestartedEngineKeepsTheCgroupOfATaskItAdoptsAndRemovesThatOfOneTheServerDropped() {
        runtime.setTaskCgroups(cgroups);
        runToRunning();
        engine.close();
        long creates = runtime.count("create");

        engine = TaskEngine.start(FAST, runtime, INSTANCE, InstantSource.system(), new SplittableRandom(8), () -> { });
        engine.apply(new DesiredState(2, List.of(TASK)));
        await().atMost(WAIT).until(() -> engine.snapshot().tasks().containsKey(TASK.taskArn()));
        assertThat(engine.snapshot().tasks().get(TASK.taskArn()).lastStatus()).isEqualTo("RUNNING");
        assertThat(runtime.count("create")).isEqualTo(creates);
        assertThat(cgroups.cgroups()).containsKey("t1");
        engine.close();

        engine = TaskEngine.start(FAST, runtime, INSTANCE, InstantSource.system(), new SplittableRandom(9), () -> { });
        engine.apply(new DesiredState(3, List.of()));
        await().atMost(WAIT).until(() -> runtime.containers().isEmpty());
        await().atMost(WAIT).until(() -> cgroups.cgroups().isEmpty());
    }

    @Test
    void withoutTaskCgroupsEachContainerKeepsTheTaskMemoryAsItsOwnLimit() {
        TaskReport r = runToRunning(); // the fake engine has no task cgroups by default

        assertThat(spec(r, "app").cgroupParent()).isNull();
        assertThat(spec(r, "app").memoryBytes()).isEqualTo(64 * MIB);
        assertThat(spec(r, "side").memoryBytes()).isEqualTo(32 * MIB);
    }

    @Test
    void aCgroupThatCannotBeMadeNeverFailsTheTask() {
        cgroups.setBroken(true);
        runtime.setTaskCgroups(cgroups);
        TaskReport r = runToRunning();

        assertThat(spec(r, "app").cgroupParent()).isNull();
        assertThat(spec(r, "app").memoryBytes()).isEqualTo(64 * MIB);
        engine.apply(new DesiredState(2, List.of(stopped(TASK))));
        await().atMost(WAIT).until(() -> runtime.containers().isEmpty()); // cleanup goes on all the same
    }
}
