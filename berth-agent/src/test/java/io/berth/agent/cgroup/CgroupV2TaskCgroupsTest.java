package io.berth.agent.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.runtime.TaskCgroups;
import io.berth.core.runtime.TaskLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import io.berth.testkit.runtime.TaskCgroupsContract;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cgroup v2 task cgroups on a temporary directory laid out like a unified /sys/fs/cgroup. */
class CgroupV2TaskCgroupsTest extends TaskCgroupsContract {
    @TempDir
    Path root;

    @BeforeEach
    void layout() throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        Files.writeString(root.resolve("cgroup.subtree_control"), "memory pids\n");
    }

    @Override
    protected TaskCgroups cgroups() {
        return HostCgroups.detect(null, "cgroupfs", "2", root);
    }

    @Test
    void writesMemoryMaxAndCpuMaxAndEnablesTheControllersDownToTheTask() throws Exception {
        TaskCgroups cgroups = HostCgroups.detect(null, "cgroupfs", "2", root);
        assertThat(cgroups.unsupportedReason()).isNull();
        assertThat(Files.readString(root.resolve("cgroup.subtree_control"))).isEqualTo("+cpu");
        assertThat(Files.readString(root.resolve("ecs/cgroup.subtree_control"))).isEqualTo("+cpu +memory");

        String parent = cgroups.create("0123abcd", new TaskLimits(64L << 20, 50_000L, 100_000, null));
        assertThat(parent).isEqualTo("/ecs/0123abcd");
        Path task = root.resolve("ecs/0123abcd");
        assertThat(Files.readString(task.resolve("memory.max"))).isEqualTo("67108864");
        assertThat(Files.readString(task.resolve("cpu.max"))).isEqualTo("50000 100000");
        assertThat(task.resolve("cpu.weight")).doesNotExist();
        assertThat(Files.readString(task.resolve("cgroup.subtree_control"))).isEqualTo("+cpu +memory");

        cgroups.remove("0123abcd");
        assertThat(task).doesNotExist();
    }

    @Test
    void sharesBecomeAWeightAsRuncConvertsThem() throws Exception {
        TaskCgroups cgroups = HostCgroups.detect(null, "cgroupfs", "2", root);
        cgroups.create("t2", new TaskLimits(null, null, 100_000, 1024L));
        assertThat(Files.readString(root.resolve("ecs/t2/cpu.weight"))).isEqualTo("39");
        assertThat(root.resolve("ecs/t2/memory.max")).doesNotExist();
        assertThat(CgroupV2TaskCgroups.weight(2)).isEqualTo(1);
        assertThat(CgroupV2TaskCgroups.weight(262_144)).isEqualTo(10_000);
    }

    @Test
    void aHierarchyWithoutTheMemoryControllerHasNoTaskCgroups() throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpu pids\n");
        assertThat(HostCgroups.detect(null, "cgroupfs", "2", root).unsupportedReason())
                .contains("lacks the memory controller");
    }
}
