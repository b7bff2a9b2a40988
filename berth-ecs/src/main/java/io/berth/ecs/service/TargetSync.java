package io.berth.ecs.service;

import io.berth.core.task.Task;
import io.berth.ecs.task.Tasks;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The target registration step of a service-scheduler pass: reads the service's target groups,
 * plans ({@link TargetPlan}), registers and deregisters through the {@link TargetRegistry},
 * releases DEACTIVATING tasks whose targets are gone, and says so in events. A failed call is an
 * event; the next pass tries again.
 */
final class TargetSync {
    private final Tasks tasks;
    private final TargetRegistry targets;

    TargetSync(Tasks tasks, TargetRegistry targets) {
        this.tasks = tasks;
        this.targets = targets;
    }

    /** The pass's plan for the service's targets, or null when none of its deployments has a load balancer. */
    TargetPlan run(Service s, List<Task> own, ServiceTasks view, List<ServiceEvent> events, Instant now) {
        List<ServiceLoadBalancer> current = ServiceLoadBalancer.of(s.loadBalancers());
        Map<String, List<ServiceLoadBalancer>> byDeployment = new HashMap<>();
        Set<ServiceLoadBalancer> every = new LinkedHashSet<>(current);
        for (ServiceDeployment d : s.deployments()) {
            List<ServiceLoadBalancer> its = d.loadBalancers() != null ? ServiceLoadBalancer.of(d.loadBalancers())
                    : current;
            byDeployment.put(d.id(), its);
            every.addAll(its);
        }
        if (s.lastCompleted() != null && s.lastCompleted().loadBalancers() != null) {
            every.addAll(ServiceLoadBalancer.of(s.lastCompleted().loadBalancers()));
        }
        if (every.isEmpty()) {
            return null;
        }
        Map<String, String> ec2 = new HashMap<>();
        view.instances().forEach((id, i) -> {
            if (i.ec2InstanceId() != null) {
                ec2.put(id, i.ec2InstanceId());
            }
        });
        Map<String, String> types = new HashMap<>();
        Map<String, Map<TargetRegistry.Target, TargetRegistry.TargetState>> registered = new HashMap<>();
        for (ServiceLoadBalancer lb : every) {
            String arn = lb.targetGroupArn();
            if (!types.containsKey(arn)) {
                types.put(arn, targets.targetGroup(arn).map(TargetRegistry.TargetGroupInfo::targetType)
                        .orElse("instance"));
                registered.put(arn, targets.targets(arn));
            }
        }
        TargetPlan plan = TargetPlan.of(t -> byDeployment.getOrDefault(t.startedBy(), current), List.copyOf(every),
                own, ec2, types, registered);
        plan.register().forEach((arn, list) -> {
            try {
                targets.register(arn, list);
                Reconciler.event(events, s, now, "(service " + s.name() + ") registered " + list.size()
                        + " targets in (target-group " + arn + ")");
            } catch (RuntimeException e) {
                Reconciler.eventOnce(events, s, now, "(service " + s.name() + ") failed to register targets in "
                        + "(target-group " + arn + ") with (error " + e.getMessage() + ")");
            }
        });
        plan.deregister().forEach((arn, list) -> {
            try {
                targets.deregister(arn, list);
                Reconciler.event(events, s, now, "(service " + s.name() + ") deregistered " + list.size()
                        + " targets in (target-group " + arn + ")");
            } catch (RuntimeException e) {
                Reconciler.eventOnce(events, s, now, "(service " + s.name() + ") failed to deregister targets in "
                        + "(target-group " + arn + ") with (error " + e.getMessage() + ")");
            }
        });
        plan.release().forEach(id -> tasks.release(s.cluster(), id));
        return plan;
    }
}
