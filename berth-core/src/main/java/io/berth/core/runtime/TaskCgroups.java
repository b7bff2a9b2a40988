package io.berth.core.runtime;

/**
 * Task cgroups on a host: one cgroup per task carrying the task's {@link TaskLimits}, under which the
 * engine puts each of the task's containers ({@link ContainerSpec#cgroupParent()}), so that together
 * they cannot exceed the task's CPU and memory. The ECS agent's task resource limits
 * ({@code ECS_ENABLE_TASK_CPU_MEM_LIMIT}): the cgroup of task {@code <id>} is {@code /ecs/<id>}.
 *
 * <p>Where the host cannot have them (another cgroup driver, a read-only cgroup filesystem, an
 * engine on another host), {@link #unsupportedReason()} says why; the task then runs with its
 * containers' own limits only, never fails for it.
 *
 * <p>Thread-safe; {@link #create} and {@link #remove} are idempotent. They are local kernel calls
 * (cgroup filesystem), which nothing remote can hold up, so they take no timeout.
 */
public interface TaskCgroups {
    /** Null when task cgroups work here; otherwise why not, for the agent's log. */
    String unsupportedReason();

    /**
     * Creates the cgroup of task {@code taskId} (the last part of its ARN) with {@code limits}, or
     * finds it (a restarted agent's tasks keep theirs) and writes them again.
     *
     * @return the cgroup parent to give each container of the task
     * @throws RuntimeFailure ({@link RuntimeFailure.Kind#CREATE}) when the cgroup cannot be made or
     *     its limits written, or task cgroups are unsupported here
     */
    String create(String taskId, TaskLimits limits);

    /**
     * Removes the cgroup of task {@code taskId}, once its containers are gone; a missing one is fine.
     *
     * @throws RuntimeFailure ({@link RuntimeFailure.Kind#CREATE}) when it cannot be removed (still in use)
     */
    void remove(String taskId);

    /** Task cgroups that cannot be had here, for {@code reason}: create fails, remove does nothing. */
    static TaskCgroups unsupported(String reason) {
        return new Unsupported(reason);
    }

    /** See {@link TaskCgroups#unsupported}. */
    record Unsupported(String unsupportedReason) implements TaskCgroups {
        public Unsupported {
            java.util.Objects.requireNonNull(unsupportedReason);
        }

        @Override
        public String create(String taskId, TaskLimits limits) {
            throw new RuntimeFailure(RuntimeFailure.Kind.CREATE, "task cgroups are unsupported: " + unsupportedReason);
        }

        @Override
        public void remove(String taskId) {
        }
    }
}
