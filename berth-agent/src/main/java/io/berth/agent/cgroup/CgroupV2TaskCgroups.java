package io.berth.agent.cgroup;

import io.berth.core.runtime.RuntimeFailure;
import io.berth.core.runtime.TaskCgroups;
import io.berth.core.runtime.TaskLimits;
import java.nio.file.Path;
import java.util.List;

/**
 * Task cgroups on cgroup v2 (the unified hierarchy at {@code root}): {@code /ecs/<task id>} with
 * {@code memory.max} and {@code cpu.max} (or {@code cpu.weight}), the cpu and memory controllers
 * enabled down to it. Thread-safe (stateless).
 */
public final class CgroupV2TaskCgroups implements TaskCgroups {
    static final List<String> CONTROLLERS = List.of("cpu", "memory");
    private final Path root;

    /** On the unified hierarchy mounted at {@code root} (normally {@code /sys/fs/cgroup}). */
    public CgroupV2TaskCgroups(Path root) {
        this.root = root;
    }

    /**
     * Checks that the hierarchy has the cpu and memory controllers and makes {@code /ecs} with them
     * enabled (as the ECS agent does when it starts): whether the cgroup filesystem takes writes.
     */
    void init() {
        List<String> available = CgroupFs.words(root.resolve("cgroup.controllers"));
        for (String controller : CONTROLLERS) {
            if (!available.contains(controller)) {
                throw new RuntimeFailure(RuntimeFailure.Kind.CREATE, "the cgroup v2 hierarchy at " + root
                        + " lacks the " + controller + " controller (it has " + available + ")");
            }
        }
        enableControllers(root);
        Path ecs = root.resolve(CgroupFs.PREFIX);
        CgroupFs.mkdir(ecs);
        enableControllers(ecs);
    }

    @Override
    public String unsupportedReason() {
        return null;
    }

    @Override
    public String create(String taskId, TaskLimits limits) {
        String parent = CgroupFs.parent(taskId);
        Path task = root.resolve(CgroupFs.PREFIX).resolve(taskId);
        CgroupFs.mkdir(task);
        if (limits.memoryBytes() != null) {
            CgroupFs.write(task.resolve("memory.max"), Long.toString(limits.memoryBytes()));
        }
        if (limits.cpuQuotaMicros() != null) {
            CgroupFs.write(task.resolve("cpu.max"), limits.cpuQuotaMicros() + " " + limits.cpuPeriodMicros());
        }
        if (limits.cpuShares() != null) {
            CgroupFs.write(task.resolve("cpu.weight"), Long.toString(weight(limits.cpuShares())));
        }
        enableControllers(task);
        return parent;
    }

    @Override
    public void remove(String taskId) {
        CgroupFs.rmdir(root.resolve(CgroupFs.PREFIX).resolve(CgroupFs.checked(taskId)));
    }

    /**
     * cgroup v1 shares (2..262144) as a v2 weight (1..10000), the way runc and containerd convert
     * them: {@code 1 + (shares - 2) * 9999 / 262142}.
     */
    static long weight(long shares) {
        return 1 + ((shares - 2) * 9999) / 262142;
    }

    /** Enables cpu and memory for the children of {@code cgroup}, those not enabled yet. */
    private static void enableControllers(Path cgroup) {
        Path control = cgroup.resolve("cgroup.subtree_control");
        List<String> enabled = CgroupFs.words(control);
        String missing = String.join(" ", CONTROLLERS.stream().filter(c -> !enabled.contains(c))
                .map(c -> "+" + c).toList());
        if (!missing.isEmpty()) {
            CgroupFs.write(control, missing);
        }
    }

    @Override
    public String toString() {
        return "cgroup v2 task cgroups under " + root + "/" + CgroupFs.PREFIX;
    }
}
