package io.berth.scheduler.snapshot;

import io.berth.core.instance.ContainerInstance;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A container instance as placement and the cluster query language see it: the instance (its
 * registered resources, attributes, status), whether its agent is connected now, and its load (the
 * resources its live tasks hold and those tasks counted by group; see {@link InstanceLoad}).
 */
public record InstanceView(ContainerInstance instance, boolean agentConnected, InstanceLoad load) {
    /**
     * The order placement numbers instances in, which is also its last tie-breaker: registration
     * time (instances without one first), then id.
     */
    public static final Comparator<InstanceView> PLACEMENT_ORDER = Comparator.comparing(
            (InstanceView v) -> v.instance().registeredAt(), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(InstanceView::id);

    public InstanceView {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(load, "load");
    }

    /** The view of {@code instance} with these tasks on it (STOPPED ones are ignored). */
    public InstanceView(ContainerInstance instance, boolean agentConnected, List<TaskView> tasks) {
        this(instance, agentConnected, InstanceLoad.of(instance, tasks == null ? List.of() : tasks));
    }

    public String id() {
        return instance.id();
    }

    /** Started and not STOPPED tasks, as DescribeContainerInstances reports {@code runningTasksCount}. */
    public int runningTasksCount() {
        return load.runningTasks();
    }

    /** This view with one more task on the instance (a task placed earlier in the same call, PENDING). */
    public InstanceView withPendingTask(String group) {
        return new InstanceView(instance, agentConnected, load.withPendingTask(group));
    }

    public InstanceView withAgentConnected(boolean connected) {
        return connected == agentConnected ? this : new InstanceView(instance, connected, load);
    }
}
