package io.berth.agent.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.runtime.RuntimeFailure;
import io.berth.core.runtime.TaskCgroups;
import io.berth.core.runtime.TaskLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import io.berth.testkit.runtime.TaskCgroupsContract;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cgroup v1 task cgroups on a temporary directory laid out like /sys/fs/cgroup. */
class CgroupV1TaskCgroupsTest extends TaskCgroupsContract {
    @TempDir
    Path root;

    @BeforeEach
    void layout() throws Exception {
        for (String h : new String[] {"memory", "cpu", "cpuacct", "pids", "unified"}) {
            Files.createDirectories(root.resolve(h));
            Files.writeString(root.resolve(h).resolve("cgroup.procs"), "");
        }
    }

    private TaskCgroups detect() {
        return HostCgroups.detect(null, "cgroupfs", "1", root);
    }

    @Override
    protected TaskCgroups cgroups() {
        return HostCgroups.detect(null, "cgroupfs", "1", root);
    }

    @Test
    void writesTheTaskMemoryAsAHardLimitAndTheTaskCpuAsAQuotaPerPeriod() throws Exception {
        TaskCgroups cgroups = detect();
        assertThat(cgroups.unsupportedReason()).isNull();
        String parent = cgroups.create("0123abcd", new TaskLimits(64L << 20, 25_000L, 100_000, null));
        assertThat(parent).isEqualTo("/ecs/0123abcd");
        Path memory = root.resolve("memory/ecs/0123abcd");
        assertThat(Files.readString(memory.resolve("memory.limit_in_bytes"))).isEqualTo("67108864");
        assertThat(Files.readString(memory.resolve("memory.use_hierarchy"))).isEqualTo("1");
        Path cpu = root.resolve("cpu/ecs/0123abcd");
        assertThat(Files.readString(cpu.resolve("cpu.cfs_period_us"))).isEqualTo("100000");
        assertThat(Files.readString(cpu.resolve("cpu.cfs_quota_us"))).isEqualTo("25000");
        assertThat(cpu.resolve("cpu.shares")).doesNotExist();
    }

    @Test
    void withoutTaskCpuTheCgroupGetsShares() throws Exception {
        TaskCgroups cgroups = detect();
        cgroups.create("t2", new TaskLimits(null, null, 100_000, 1536L));
        assertThat(Files.readString(root.resolve("cpu/ecs/t2/cpu.shares"))).isEqualTo("1536");
        assertThat(root.resolve("cpu/ecs/t2/cpu.cfs_quota_us")).doesNotExist();
        assertThat(root.resolve("memory/ecs/t2/memory.limit_in_bytes")).doesNotExist();
    }

    @Test
    void createIsIdempotentAndRemoveTakesTheCgroupOutOfEveryHierarchy() throws Exception {
        TaskCgroups cgroups = detect();
        TaskLimits limits = new TaskLimits(32L << 20, null, 100_000, 2L);
        cgroups.create("t3", limits);
        cgroups.create("t3", limits);
        Files.createDirectories(root.resolve("pids/ecs/t3")); // made by the engine for a container
        cgroups.remove("t3");
        for (String h : new String[] {"memory", "cpu", "pids"}) {
            assertThat(root.resolve(h).resolve("ecs/t3")).doesNotExist();
            assertThat(root.resolve(h).resolve("ecs")).isDirectory();
        }
        cgroups.remove("t3"); // gone already: fine
    }

    @Test
    void aCgroupStillInUseStaysAndSaysSo() throws Exception {
        TaskCgroups cgroups = detect();
        cgroups.create("t4", new TaskLimits(32L << 20, null, 100_000, 2L));
        Files.createDirectories(root.resolve("memory/ecs/t4/container"));
        assertThatThrownBy(() -> cgroups.remove("t4")).isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("memory/ecs/t4");
        assertThat(root.resolve("memory/ecs/t4")).isDirectory();
        assertThat(root.resolve("cpu/ecs/t4")).doesNotExist();
    }
}
