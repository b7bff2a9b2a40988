package io.berth.ecs;

import io.berth.core.instance.ContainerInstance;
import io.berth.core.task.Task;
import io.berth.ecs.cluster.ClusterUsage;
import io.berth.ecs.instance.ContainerInstances;
import io.berth.ecs.task.Tasks;
import java.util.List;

/** Counts of a cluster's instances and tasks, read from the store. */
final class EcsClusterUsage implements ClusterUsage {
    private ContainerInstances instances;
    private Tasks tasks;

    void bind(ContainerInstances instances, Tasks tasks) {
        this.instances = instances;
        this.tasks = tasks;
    }

    @Override
    public Counts counts(String cluster) {
        if (instances == null) {
            return Counts.NONE;
        }
        int registered = 0;
        for (ContainerInstance i : instances.all(cluster)) {
            if (i.registered()) {
                registered++;
            }
        }
        int running = 0;
        int pending = 0;
        List<Task> live = tasks.list(cluster, t -> !t.stopped(), null, Integer.MAX_VALUE);
        for (Task t : live) {
            if (t.lastStatus().pending()) {
                pending++;
            } else {
                running++;
            }
        }
        return new Counts(registered, running, 0, 0, pending, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
