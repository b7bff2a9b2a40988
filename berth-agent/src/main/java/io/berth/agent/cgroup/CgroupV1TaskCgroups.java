package io.berth.agent.cgroup;

import io.berth.core.runtime.RuntimeFailure;
import io.berth.core.runtime.TaskCgroups;
import io.berth.core.runtime.TaskLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Task cgroups on cgroup v1: one hierarchy per controller under {@code root}
 * ({@code /sys/fs/cgroup/memory}, {@code /sys/fs/cgroup/cpu}, ...). The task's cgroup is made in
 * the memory and cpu hierarchies with its limits; the engine makes it in the others when it puts the
 * first container there. Removal takes it out of every hierarchy. Thread-safe (stateless).
 */
public final class CgroupV1TaskCgroups implements TaskCgroups {
    private final Path root;

    /** On the hierarchies mounted under {@code root} (normally {@code /sys/fs/cgroup}). */
    public CgroupV1TaskCgroups(Path root) {
        this.root = root;
    }

    /**
     * Makes {@code /ecs} in the memory and cpu hierarchies (as the ECS agent does when it starts):
     * whether the cgroup filesystem takes writes.
     */
    void init() {
        for (String controller : List.of("memory", "cpu")) {
            Path hierarchy = root.resolve(controller);
            if (!Files.isDirectory(hierarchy)) {
                throw new RuntimeFailure(RuntimeFailure.Kind.CREATE, "no " + controller + " cgroup hierarchy at "
                        + hierarchy);
            }
            CgroupFs.mkdir(hierarchy.resolve(CgroupFs.PREFIX));
        }
    }

    @Override
    public String unsupportedReason() {
        return null;
    }

    @Override
    public String create(String taskId, TaskLimits limits) {
        String parent = CgroupFs.parent(taskId);
        Path memory = root.resolve("memory").resolve(CgroupFs.PREFIX).resolve(taskId);
        CgroupFs.mkdir(memory);
        // The task's limit binds its containers' cgroups only with hierarchical accounting (always on
        // since Linux 5.x; the ECS agent sets it all the same).
        CgroupFs.write(memory.resolve("memory.use_hierarchy"), "1");
        if (limits.memoryBytes() != null) {
            CgroupFs.write(memory.resolve("memory.limit_in_bytes"), Long.toString(limits.memoryBytes()));
        }
        Path cpu = root.resolve("cpu").resolve(CgroupFs.PREFIX).resolve(taskId);
        CgroupFs.mkdir(cpu);
        if (limits.cpuQuotaMicros() != null) {
            CgroupFs.write(cpu.resolve("cpu.cfs_period_us"), Long.toString(limits.cpuPeriodMicros()));
            CgroupFs.write(cpu.resolve("cpu.cfs_quota_us"), Long.toString(limits.cpuQuotaMicros()));
        }
        if (limits.cpuShares() != null) {
            CgroupFs.write(cpu.resolve("cpu.shares"), Long.toString(limits.cpuShares()));
        }
        return parent;
    }

    @Override
    public void remove(String taskId) {
        CgroupFs.checked(taskId);
        List<String> failures = new ArrayList<>();
        for (Path hierarchy : CgroupFs.directories(root)) {
            try {
                CgroupFs.rmdir(hierarchy.resolve(CgroupFs.PREFIX).resolve(taskId));
            } catch (RuntimeFailure f) {
                failures.add(f.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new RuntimeFailure(RuntimeFailure.Kind.CREATE, String.join("; ", failures));
        }
    }

    @Override
    public String toString() {
        return "cgroup v1 task cgroups under " + root + "/*/" + CgroupFs.PREFIX;
    }
}
