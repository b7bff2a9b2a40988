package io.berth.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.agent.engine.EngineSettings;
import io.berth.agent.engine.TaskEngine;
import io.berth.agent.engine.TaskRecord;
import io.berth.agent.engine.TaskSpec.ContainerPlan;
import io.berth.agent.engine.Tasks;
import io.berth.core.agent.DesiredState;
import io.berth.core.agent.DesiredTask;
import io.berth.core.agent.TaskReport;
import io.berth.testkit.runtime.FakeContainerRuntime;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The task engine's hooks, as the host services use them: environment, refusal to start, removal. */
class EngineHooksTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final EngineSettings FAST = EngineSettings.defaults().withTick(Duration.ofMillis(10))
            .withRelistInterval(Duration.ofMillis(300)).withStopTimeout(Duration.ofSeconds(1))
            .withCleanupDelay(Duration.ZERO).withRetries(Duration.ofMillis(20), 3);

    private final FakeContainerRuntime runtime = new FakeContainerRuntime();
    private final List<String> removals = new CopyOnWriteArrayList<>();
    private TaskEngine engine;

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
        runtime.close();
    }

    private TaskEngine start(TaskEngine.Hooks hooks) {
        engine = TaskEngine.start(FAST, runtime, Tasks.INSTANCE, InstantSource.system(), new SplittableRandom(1),
                () -> { }, hooks);
        return engine;
    }

    private TaskReport awaitStatus(DesiredTask task, String status) {
        await().atMost(WAIT).until(() -> {
            TaskReport r = engine.snapshot().tasks().get(task.taskArn());
            return r != null && status.equals(r.lastStatus());
        });
        return engine.snapshot().tasks().get(task.taskArn());
    }

    @Test
    void hooksAddEnvironmentRefuseStartsAndPrecedeRemovals() {
        runtime.addImage("app:1");
        start(new TaskEngine.Hooks() {
            @Override
            public Map<String, String> environment(TaskRecord task, ContainerPlan container) {
                return Map.of("ECS_CONTAINER_METADATA_URI_V4", "http://meta/" + container.name(), "SHARED", "agent");
            }

            @Override
            public String beforeStart(TaskRecord task, ContainerPlan container, String runtimeId) {
                return container.name().equals("refused") ? "failed to initialize logging driver: no" : null;
            }

            @Override
            public void beforeRemove(String taskArn, List<String> runtimeIds) {
                removals.add(taskArn);
            }
        });
        DesiredTask ok = Tasks.running("ok", Tasks.td("ok", Tasks.container("web", "app:1",
                "\"environment\":[{\"name\":\"SHARED\",\"value\":\"mine\"},{\"name\":\"OWN\",\"value\":\"1\"}]")));
        DesiredTask refused = Tasks.running("no", Tasks.td("no", Tasks.container("refused", "app:1", "")));
        engine.apply(new DesiredState(1, List.of(ok, refused)));

        awaitStatus(ok, "RUNNING");
        Map<String, String> env = runtime.spec(runtime.byName("ecs-ok-1-web-ok").orElseThrow().id()).environment();
        assertThat(env).containsEntry("ECS_CONTAINER_METADATA_URI_V4", "http://meta/web")
                .containsEntry("SHARED", "agent").containsEntry("OWN", "1");

        TaskReport stopped = awaitStatus(refused, "STOPPED");
        assertThat(stopped.stopCode()).isEqualTo("TaskFailedToStart");
        assertThat(stopped.containers().get(0).reason())
                .isEqualTo("CannotStartContainerError: failed to initialize logging driver: no");
        assertThat(runtime.count("start")).isEqualTo(1); // only the accepted container started
        await().atMost(WAIT).until(() -> removals.contains(refused.taskArn()));
    }
}
