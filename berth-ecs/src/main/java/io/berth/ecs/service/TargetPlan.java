package io.berth.ecs.service;

import io.berth.core.agent.ContainerReport;
import io.berth.core.task.DesiredStatus;
import io.berth.core.task.Task;
import io.berth.core.task.TaskContainer;
import io.berth.core.task.TaskStatus;
import io.berth.ecs.service.TargetRegistry.Target;
import io.berth.ecs.service.TargetRegistry.TargetState;
import io.berth.scheduler.deployment.ServiceTask.TargetHealth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What one pass does about a service's load balancer targets, decided from its tasks and what the
 * target groups hold now. Pure; the {@link Reconciler} carries it out.
 *
 * <pre>
 *   task RUNNING ----------------> target registered (its health feeds the planner)
 *   task asked to stop (RUNNING) -> DEACTIVATING: target deregistered, draining for the delay
 *   target gone from the group --> task released to its agent (STOPPING), containers stopped
 * </pre>
 *
 * <p>A target another live task of the service also maps to (a host port used again) is never
 * deregistered.
 *
 * @param register targets to register, by target group ARN
 * @param deregister targets to deregister, by target group ARN
 * @param release ids of DEACTIVATING tasks whose targets have all left their groups
 * @param health the target health of each live task, for the planner
 * @param failing for a live task unhealthy in a target group, that group's ARN
 */
record TargetPlan(Map<String, List<Target>> register, Map<String, List<Target>> deregister, Set<String> release,
                  Map<String, TargetHealth> health, Map<String, String> failing) {

    /** As {@link #of(Function, List, List, Map, Map, Map)} with the same load balancers for every task. */
    static TargetPlan of(List<ServiceLoadBalancer> lbs, List<Task> tasks, Map<String, String> ec2InstanceIds,
                         Map<String, String> targetTypes, Map<String, Map<Target, TargetState>> registered) {
        return of(t -> lbs, lbs, tasks, ec2InstanceIds, targetTypes, registered);
    }

    /**
     * @param lbsOf where a live task belongs: its deployment's load balancers
     * @param all every load balancer any of the service's deployments has used: where a stopping
     *     task's targets are looked for
     * @param ec2InstanceIds the {@code i-...} id of each container instance, by instance id
     * @param targetTypes each target group's target type ({@code instance} or {@code ip}), by ARN
     * @param registered what each target group holds now, by ARN
     */
    static TargetPlan of(Function<Task, List<ServiceLoadBalancer>> lbsOf, List<ServiceLoadBalancer> all,
                         List<Task> tasks, Map<String, String> ec2InstanceIds, Map<String, String> targetTypes,
                         Map<String, Map<Target, TargetState>> registered) {
        Map<String, List<Target>> register = new LinkedHashMap<>();
        Map<String, List<Target>> deregister = new LinkedHashMap<>();
        Set<String> release = new LinkedHashSet<>();
        Map<String, TargetHealth> health = new HashMap<>();
        Map<String, String> failing = new HashMap<>();
        Map<String, Set<Target>> wanted = new HashMap<>();
        for (Task t : tasks) {
            if (live(t)) {
                for (ServiceLoadBalancer lb : lbsOf.apply(t)) {
                    target(t, lb, ec2InstanceIds, targetTypes)
                            .ifPresent(x -> wanted.computeIfAbsent(lb.targetGroupArn(), k -> new HashSet<>()).add(x));
                }
            }
        }
        for (Task t : tasks) {
            boolean live = live(t);
            TargetHealth combined = TargetHealth.HEALTHY;
            boolean gone = true;
            List<ServiceLoadBalancer> lbs = live ? lbsOf.apply(t) : all;
            for (ServiceLoadBalancer lb : lbs) {
                String tg = lb.targetGroupArn();
                Optional<Target> target = target(t, lb, ec2InstanceIds, targetTypes);
                Map<Target, TargetState> now = registered.getOrDefault(tg, Map.of());
                if (live) {
                    TargetState state = target.map(now::get).orElse(null);
                    if (target.isPresent() && (state == null || state == TargetState.DRAINING)) {
                        add(register, tg, target.get());
                    }
                    combined = worse(combined, state == null || target.isEmpty() ? TargetHealth.PENDING
                            : state.healthy() ? TargetHealth.HEALTHY
                            : state == TargetState.UNHEALTHY ? TargetHealth.UNHEALTHY : TargetHealth.PENDING);
                    if (state == TargetState.UNHEALTHY) {
                        failing.putIfAbsent(t.id(), tg);
                    }
                } else if (target.isPresent() && !wanted.getOrDefault(tg, Set.of()).contains(target.get())) {
                    TargetState state = now.get(target.get());
                    if (state != null && state != TargetState.DRAINING) {
                        add(deregister, tg, target.get());
                    }
                    gone &= state == null;
                }
            }
            if (live) {
                health.put(t.id(), lbs.isEmpty() ? TargetHealth.NONE : combined);
            } else if (t.lastStatus() == TaskStatus.DEACTIVATING && gone) {
                release.add(t.id());
            }
        }
        return new TargetPlan(register, deregister, release, health, failing);
    }

    /** Whether a task's targets belong in their groups: RUNNING and meant to run. */
    static boolean live(Task t) {
        return t.lastStatus() == TaskStatus.RUNNING && t.desiredStatus() == DesiredStatus.RUNNING;
    }

    /**
     * The target a task offers a load balancer: for an {@code instance} group, its instance's
     * {@code i-...} id and the host port its container's port is published on; for an {@code ip}
     * group, the address and port the container is reachable at. Empty until the agent reported the
     * binding.
     */
    static Optional<Target> target(Task t, ServiceLoadBalancer lb, Map<String, String> ec2InstanceIds,
                                   Map<String, String> targetTypes) {
        for (TaskContainer c : t.containers()) {
            if (!c.name().equals(lb.containerName())) {
                continue;
            }
            for (ContainerReport.NetworkBinding b : c.networkBindings()) {
                if (b.containerPort() != lb.containerPort() || b.hostPort() <= 0
                        || (b.protocol() != null && !"tcp".equalsIgnoreCase(b.protocol()))) {
                    continue;
                }
                if ("ip".equals(targetTypes.get(lb.targetGroupArn()))) {
                    String ip = b.bindIP() == null || b.bindIP().isEmpty() || b.bindIP().equals("0.0.0.0")
                            ? "127.0.0.1" : b.bindIP();
                    return Optional.of(new Target(ip, b.hostPort()));
                }
                String ec2 = ec2InstanceIds.get(t.containerInstanceId());
                return ec2 == null ? Optional.empty() : Optional.of(new Target(ec2, b.hostPort()));
            }
        }
        return Optional.empty();
    }

    private static TargetHealth worse(TargetHealth a, TargetHealth b) {
        if (a == TargetHealth.UNHEALTHY || b == TargetHealth.UNHEALTHY) {
            return TargetHealth.UNHEALTHY;
        }
        return a == TargetHealth.PENDING || b == TargetHealth.PENDING ? TargetHealth.PENDING : TargetHealth.HEALTHY;
    }

    private static void add(Map<String, List<Target>> into, String tg, Target t) {
        List<Target> list = into.computeIfAbsent(tg, k -> new ArrayList<>());
        if (!list.contains(t)) {
            list.add(t);
        }
    }
}
