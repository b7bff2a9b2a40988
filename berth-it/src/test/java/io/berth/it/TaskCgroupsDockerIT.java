package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.berth.core.runtime.ContainerLogs;
import io.berth.core.runtime.LogLine;
import io.berth.testkit.images.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerCondition;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * Task-level cpu and memory on the real Docker Engine: the task's cgroup ({@code /ecs/<task id>})
 * holds them for all its containers. Skipped where the agent has no task cgroups (another cgroup
 * driver, a cgroup filesystem it cannot write).
 */
class TaskCgroupsDockerIT {
    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");
    private static final long TASK_MEMORY = 64L << 20;
    private static DockerFixture docker;

    @BeforeAll
    static void start() throws Exception {
        docker = DockerFixture.start();
        String unsupported = docker.runtime.taskCgroups(Duration.ofSeconds(30)).unsupportedReason();
        assumeTrue(unsupported == null, "no task cgroups here: " + unsupported);
    }

    @AfterAll
    static void stop() throws Exception {
        if (docker != null) {
            docker.close();
        }
    }

    private static EcsClient ecs() {
        return docker.ecs();
    }

    private static boolean v2() {
        return Files.exists(CGROUPS.resolve("cgroup.controllers"));
    }

    /** The task's cgroup in the hierarchy of {@code controller} (v1), or the unified one (v2). */
    private static Path taskCgroup(String controller, String taskId) {
        return (v2() ? CGROUPS : CGROUPS.resolve(controller)).resolve("ecs").resolve(taskId);
    }

    private static String taskId(Task task) {
        return task.taskArn().substring(task.taskArn().lastIndexOf('/') + 1);
    }

    private static Task run(String family, String cpu, ContainerDefinition container) {
        String td = ecs().registerTaskDefinition(r -> r.family(family).cpu(cpu).memory("64")
                .containerDefinitions(container)).taskDefinition().taskDefinitionArn();
        var response = ecs().runTask(r -> r.taskDefinition(td));
        assertThat(response.failures()).isEmpty();
        return response.tasks().get(0);
    }

    @Test
    void theTaskCgroupHoldsTheTaskLimitsAndTheContainerSeesThemAsItsParents() throws Exception {
        Task task = run("cgroup-limits", "256", ContainerDefinition.builder().name("main").image(TestImages.BUSYBOX)
                .command("sh", "-c", "grep hierarchical_memory_limit /sys/fs/cgroup/memory/memory.stat; sleep 300")
                .build());
        Task running = docker.awaitStatus(task.taskArn(), "RUNNING", Duration.ofSeconds(60));
        String containerId = running.containers().get(0).runtimeId();
        String id = taskId(task);

        if (v2()) {
            assertThat(Files.readString(taskCgroup("memory", id).resolve("memory.max")).strip())
                    .isEqualTo(Long.toString(TASK_MEMORY));
            assertThat(Files.readString(taskCgroup("cpu", id).resolve("cpu.max")).strip()).isEqualTo("25000 100000");
        } else {
            Path memory = taskCgroup("memory", id);
            assertThat(Files.readString(memory.resolve("memory.limit_in_bytes")).strip())
                    .isEqualTo(Long.toString(TASK_MEMORY));
            assertThat(Files.readString(taskCgroup("cpu", id).resolve("cpu.cfs_quota_us")).strip()).isEqualTo("25000");
            assertThat(Files.readString(taskCgroup("cpu", id).resolve("cpu.cfs_period_us")).strip())
                    .isEqualTo("100000");
            // The container's own cgroup is the task's child, without a limit of its own...
            long own = Long.parseLong(Files.readString(memory.resolve(containerId).resolve("memory.limit_in_bytes"))
                    .strip());
            assertThat(own).isGreaterThan(TASK_MEMORY);
            // ...and from inside, the container sees the task's limit as the one that binds it.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(output(containerId)).contains("hierarchical_memory_limit " + TASK_MEMORY));
        }

        ecs().stopTask(s -> s.task(task.taskArn()));
        docker.awaitStatus(task.taskArn(), "STOPPED", Duration.ofSeconds(60));
        // Removed with the task's containers (cleanup delay: 2 s in the fixture).
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(taskCgroup("memory", id)).doesNotExist();
            assertThat(taskCgroup("cpu", id)).doesNotExist();
        });
    }

    @Test
    void aContainerThatAllocatesMoreThanTheTaskMemoryIsOomKilled() {
        // 100 MiB in one buffer, in a task of 64 MiB whose container has no memory limit of its own.
        Task task = run("cgroup-oom", "256", ContainerDefinition.builder().name("hog").image(TestImages.BUSYBOX)
                .command("dd", "if=/dev/zero", "of=/dev/null", "bs=100M", "count=1").build());
        Task stopped = docker.awaitStatus(task.taskArn(), "STOPPED", Duration.ofSeconds(60));
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            var c = docker.describe(task.taskArn()).containers().get(0);
            assertThat(c.exitCode()).isEqualTo(137);
            assertThat(c.reason()).isEqualTo("OutOfMemoryError: Container killed due to memory usage");
        });
    }

    @Test
    void theTaskMemoryBindsItsContainersTogether() {
        // "hold" keeps 40 MiB in its /dev/shm (unswappable); then "grab" asks for 40 MiB more. Each is
        // within 64 MiB alone, not together: the task cgroup kills grab, hold runs on.
        ContainerDefinition hold = ContainerDefinition.builder().name("hold").image(TestImages.BUSYBOX)
                .command("sh", "-c", "head -c 41943040 /dev/zero > /dev/shm/fill && touch /tmp/full; sleep 300")
                .healthCheck(h -> h.command("CMD-SHELL", "test -f /tmp/full").interval(5).timeout(2).retries(3))
                .build();
        ContainerDefinition grab = ContainerDefinition.builder().name("grab").image(TestImages.BUSYBOX)
                .essential(false).dependsOn(d -> d.containerName("hold").condition(ContainerCondition.HEALTHY))
                .command("dd", "if=/dev/zero", "of=/dev/null", "bs=40M", "count=1").build();
        String td = ecs().registerTaskDefinition(r -> r.family("cgroup-together").memory("64")
                .containerDefinitions(hold, grab)).taskDefinition().taskDefinitionArn();
        Task task = ecs().runTask(r -> r.taskDefinition(td)).tasks().get(0);

        // The engine may learn of the OOM kill (in the task's cgroup) a moment after the exit.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            var c = container(docker.describe(task.taskArn()), "grab");
            assertThat(c.exitCode()).isEqualTo(137);
            assertThat(c.reason()).isEqualTo("OutOfMemoryError: Container killed due to memory usage");
        });
        Task t = docker.describe(task.taskArn());
        assertThat(container(t, "hold").lastStatus()).isEqualTo("RUNNING");
        assertThat(t.lastStatus()).isEqualTo("RUNNING");
        ecs().stopTask(s -> s.task(task.taskArn()));
        docker.awaitStatus(task.taskArn(), "STOPPED", Duration.ofSeconds(60));
    }

    private static software.amazon.awssdk.services.ecs.model.Container container(Task task, String name) {
        return task.containers().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** What the container wrote so far. */
    private static List<String> output(String containerId) {
        List<String> lines = new ArrayList<>();
        try (ContainerLogs logs = docker.runtime.logs(containerId, null, false, Duration.ofSeconds(10))) {
            for (LogLine line = logs.next(); line != null; line = logs.next()) {
                lines.add(line.text());
            }
        }
        return lines;
    }
}
