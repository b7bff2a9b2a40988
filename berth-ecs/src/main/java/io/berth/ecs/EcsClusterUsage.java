package io.berth.ecs;

import io.berth.core.instance.ContainerInstance;
import io.berth.ecs.cluster.ClusterUsage;
import io.berth.ecs.instance.ContainerInstances;
import io.berth.ecs.task.Tasks;

/** Counts of a cluster's instances and tasks, read from the store. */
final class EcsClusterUsage implements ClusterUsage {
    private ContainerInstances instances;
    private Tasks tasks;
    private io.berth.ecs.service.Services services;

    void bind(ContainerInstances instances, Tasks tasks) {
        this.instances = instances;
        this.tasks = tasks;
    }

    void bindServices(io.berth.ecs.service.Services services) {
        this.services = services;
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
        int[] live = tasks.live().counts(cluster); // kept from the change feed: no scan of the tasks
        int running = live[0];
        int pending = live[1];
        int activeServices = 0;
        int drainingServices = 0;
        if (services != null) {
            for (io.berth.ecs.service.Service s : services.list(cluster, s -> true, null, Integer.MAX_VALUE)) {
                if (s.status() == io.berth.ecs.service.Service.Status.ACTIVE) {
                    activeServices++;
                } else if (s.status() == io.berth.ecs.service.Service.Status.DRAINING) {
                    drainingServices++;
                }
            }
        }
        return new Counts(registered, running, 0, 0, pending, 0, 0, activeServices, 0, 0, drainingServices, 0, 0);
    }
}
