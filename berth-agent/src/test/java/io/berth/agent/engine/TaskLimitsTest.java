package io.berth.agent.engine;

import static io.berth.agent.engine.Tasks.INSTANCE;
import static io.berth.agent.engine.Tasks.container;
import static io.berth.agent.engine.Tasks.running;
import static io.berth.agent.engine.Tasks.td;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.runtime.ContainerSpec;
import io.berth.core.runtime.TaskLimits;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Task-level cpu and memory → what the task cgroup holds, and what its containers keep of their own. */
class TaskLimitsTest {
    private static final long MIB = 1024L * 1024L;

    static Stream<Arguments> limits() {
        return Stream.of(
                // task cpu, task memory, containers' cpu → memory bytes, quota, shares
                Arguments.of(null, null, List.of(256), null),
                Arguments.of(null, 64, List.of(0, 0), new TaskLimits(64 * MIB, null, 100_000, 4L)),
                Arguments.of(null, 512, List.of(256, 512), new TaskLimits(512 * MIB, null, 100_000, 768L)),
                Arguments.of(256, null, List.of(0), new TaskLimits(null, 25_000L, 100_000, null)),
                Arguments.of(128, 64, List.of(0), new TaskLimits(64 * MIB, 12_500L, 100_000, null)),
                Arguments.of(1024, 2048, List.of(512, 512), new TaskLimits(2048 * MIB, 100_000L, 100_000, null)),
                Arguments.of(4096, null, List.of(0), new TaskLimits(null, 400_000L, 100_000, null)),
                Arguments.of(100, null, List.of(0), new TaskLimits(null, 9_765L, 100_000, null)),
                Arguments.of(5, null, List.of(0), new TaskLimits(null, 1_000L, 100_000, null)),
                Arguments.of(null, 64, List.of(200_000, 200_000), new TaskLimits(64 * MIB, null, 100_000, 262_144L)));
    }

    @ParameterizedTest(name = "cpu {0}, memory {1}, containers {2}")
    @MethodSource("limits")
    void asTheEcsAgentBuildsThem(Integer cpu, Integer memory, List<Integer> containerCpu, TaskLimits expected) {
        List<Integer> shares = containerCpu.stream().map(c -> Math.max(TaskSpecs.MIN_CPU_SHARES, c)).toList();
        assertThat(TaskSpecs.limits(cpu, memory, shares)).isEqualTo(expected);
    }

    @Test
    void readsTaskSizesInEveryFormAndOverridesWin() {
        String main = container("main", "busybox", "\"cpu\":128");
        TaskSpec plain = TaskSpecs.read(running("t1", td("f", "\"cpu\":\"512\",\"memory\":\"1024\",", main)),
                INSTANCE, EngineSettings.defaults());
        assertThat(plain.limits()).isEqualTo(new TaskLimits(1024 * MIB, 50_000L, 100_000, null));
        TaskSpec units = TaskSpecs.read(running("t2", td("f", "\"cpu\":\"0.5 vCPU\",\"memory\":\"1 GB\",", main)),
                INSTANCE, EngineSettings.defaults());
        assertThat(units.limits()).isEqualTo(plain.limits());
        TaskSpec overridden = TaskSpecs.read(running("t3", td("f", "\"cpu\":\"512\",\"memory\":\"1024\",", main),
                "{\"cpu\":\"1024\",\"memory\":\"64\"}", Map.of()), INSTANCE, EngineSettings.defaults());
        assertThat(overridden.limits()).isEqualTo(new TaskLimits(64 * MIB, 100_000L, 100_000, null));
        TaskSpec none = TaskSpecs.read(running("t4", td("f", container("main", "busybox", "\"memory\":32"))),
                INSTANCE, EngineSettings.defaults());
        assertThat(none.limits()).isNull();
    }

    @Test
    void underATaskCgroupOnlyAContainersOwnMemoryLimitsIt() {
        TaskSpec spec = TaskSpecs.read(running("t1", td("f", "\"memory\":\"64\",",
                container("app", "busybox", ""), container("side", "busybox", "\"memory\":32"))),
                INSTANCE, EngineSettings.defaults());
        var app = spec.container("app").orElseThrow();
        var side = spec.container("side").orElseThrow();

        // Without a task cgroup, each container is held to the task's memory on its own (or to its own).
        assertThat(TaskSpecs.concrete(app, "a", Map.of(), Map.of(), null).memoryBytes()).isEqualTo(64 * MIB);
        assertThat(TaskSpecs.concrete(app, "a", Map.of(), Map.of(), null).cgroupParent()).isNull();
        assertThat(TaskSpecs.concrete(side, "s", Map.of(), Map.of(), null).memoryBytes()).isEqualTo(32 * MIB);

        ContainerSpec appUnder = TaskSpecs.concrete(app, "a", Map.of(), Map.of(), "/ecs/t1");
        assertThat(appUnder.cgroupParent()).isEqualTo("/ecs/t1");
        assertThat(appUnder.memoryBytes()).isNull();
        ContainerSpec sideUnder = TaskSpecs.concrete(side, "s", Map.of(), Map.of(), "/ecs/t1");
        assertThat(sideUnder.cgroupParent()).isEqualTo("/ecs/t1");
        assertThat(sideUnder.memoryBytes()).isEqualTo(32 * MIB);
    }
}
