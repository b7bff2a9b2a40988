package io.berth.scheduler.snapshot;

import io.berth.core.instance.ContainerInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A container instance as placement and the cluster query language see it: the instance (its
 * registered resources, the allocations of its live tasks, attributes, status), whether its agent
 * is connected now, and the live tasks on it. Resources in use come from the instance's
 * allocations; {@code tasks} serves counting (spread, distinctInstance, task:group,
 * runningTasksCount). STOPPED tasks in {@code tasks} are ignored.
 */
public record InstanceView(ContainerInstance instance, boolean agentConnected, List<TaskView> tasks) {
    public InstanceView {
        Objects.requireNonNull(instance, "instance");
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
    }

    public String id() {
        return instance.id();
    }

    /** Started and not STOPPED tasks, as DescribeContainerInstances reports {@code runningTasksCount}. */
    public int runningTasksCount() {
        int n = 0;
        for (TaskView t : tasks) {
            if (t.running()) {
                n++;
            }
        }
        return n;
    }

    /** This view with one more task on the instance (a task placed earlier in the same call). */
    public InstanceView withTask(TaskView task) {
        List<TaskView> next = new ArrayList<>(tasks.size() + 1);
        next.addAll(tasks);
        next.add(task);
        return new InstanceView(instance, agentConnected, next);
    }
}
