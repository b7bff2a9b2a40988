package io.berth.testkit.runtime;

import io.berth.core.runtime.RuntimeFailure;
import io.berth.core.runtime.TaskCgroups;
import io.berth.core.runtime.TaskLimits;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Task cgroups in memory: what was created, with which limits, and what is left. {@link #setBroken}
 * makes create and remove fail as a cgroup filesystem that refuses writes would. Thread-safe.
 */
public final class FakeTaskCgroups implements TaskCgroups {
    private final Map<String, TaskLimits> cgroups = new ConcurrentHashMap<>();
    private volatile boolean broken;

    /** Whether create and remove fail ({@link RuntimeFailure.Kind#CREATE}). */
    public void setBroken(boolean broken) {
        this.broken = broken;
    }

    /** The task cgroups there are now, by task id. */
    public Map<String, TaskLimits> cgroups() {
        return Map.copyOf(cgroups);
    }

    @Override
    public String unsupportedReason() {
        return null;
    }

    @Override
    public String create(String taskId, TaskLimits limits) {
        if (taskId == null || !taskId.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,127}")) {
            throw new RuntimeFailure(RuntimeFailure.Kind.CREATE, "not a task id: " + taskId);
        }
        if (broken) {
            throw new RuntimeFailure(RuntimeFailure.Kind.CREATE, "cannot create cgroup /ecs/" + taskId
                    + ": read-only file system (fake)");
        }
        cgroups.put(taskId, limits);
        return "/ecs/" + taskId;
    }

    @Override
    public void remove(String taskId) {
        if (broken) {
            throw new RuntimeFailure(RuntimeFailure.Kind.CREATE, "cannot remove cgroup /ecs/" + taskId
                    + ": device or resource busy (fake)");
        }
        cgroups.remove(taskId);
    }
}
