package io.berth.ecs.service;

import io.berth.core.error.BerthException;
import io.berth.core.instance.ContainerInstance;
import io.berth.core.store.Versioned;
import io.berth.core.task.DesiredStatus;
import io.berth.core.task.StopCode;
import io.berth.core.task.Task;
import io.berth.core.task.TaskStatus;
import io.berth.ecs.tag.Tag;
import io.berth.ecs.tag.Tags;
import io.berth.ecs.task.RunRequest;
import io.berth.ecs.task.RunResult;
import io.berth.ecs.task.Tasks;
import io.berth.scheduler.deployment.RolloutInput;
import io.berth.scheduler.deployment.RolloutPlan;
import io.berth.scheduler.deployment.RolloutPlanner;
import io.berth.scheduler.deployment.SchedulingStrategy;
import io.berth.scheduler.deployment.ServiceTask;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One reconcile of one service: reads it and its tasks, asks the planner, starts and stops tasks,
 * and stores the deployments' new states and the events. Safe to run again at any time: the plan
 * depends only on what is stored, and a lost write is planned again on the next pass.
 */
final class Reconciler {
    /** Tasks started by one RunTask-like call at most. */
    private static final int LAUNCH_BATCH = 100;
    /** The same failure event is not repeated within this time. */
    private static final Duration REPEAT_AFTER = Duration.ofMinutes(5);
    private static final String GUIDE = " For more information, see the Troubleshooting section of the Amazon ECS "
            + "Developer Guide.";

    private final Services services;
    private final Tasks tasks;
    private final Tags tags;
    private final InstantSource clock;
    private final Duration settle;
    private final TargetSync targetSync;

    Reconciler(Services services, Tasks tasks, Tags tags, InstantSource clock, Duration settle,
               TargetRegistry targets) {
        this.services = services;
        this.tasks = tasks;
        this.tags = tags;
        this.clock = clock;
        this.settle = settle;
        this.targetSync = new TargetSync(tasks, targets);
    }

    void reconcile(Versioned read, ServiceTasks view, ServiceTasks.HealthChecks checks) {
        Service s = Services.decode(read);
        if (s.status() == Service.Status.INACTIVE || s.deployments().isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<Task> own = view.of(s.name());
        List<ServiceEvent> events = new ArrayList<>();
        TargetPlan targetPlan = targetSync.run(s, own, view, events, now);
        List<ServiceTask> seen = new ArrayList<>(own.size());
        own.forEach(t -> seen.add(targetPlan == null ? view.view(t, checks)
                : view.view(t, checks, targetPlan.health().getOrDefault(t.id(), ServiceTask.TargetHealth.PENDING))));
        boolean draining = s.status() == Service.Status.DRAINING;
        List<String> daemonInstances = s.schedulingStrategy() == SchedulingStrategy.DAEMON && !draining
                ? daemonInstances(view) : List.of();
        int desired = draining ? 0 : s.desiredCount();
        RolloutInput input = new RolloutInput(s.schedulingStrategy(), desired, daemonInstances,
                s.deploymentConfiguration(), s.deployments().stream().map(ServiceDeployment::state).toList(), seen,
                Duration.ofSeconds(s.healthCheckGracePeriodSeconds() == null ? 0 : s.healthCheckGracePeriodSeconds()),
                settle, s.throttle(), s.lastCompleted() == null ? null : s.lastCompleted().id(),
                Services.newDeploymentId(), now);
        RolloutPlan plan = RolloutPlanner.plan(input);

        Service.Builder next = applied(s, plan, now);
        if (s.schedulingStrategy() == SchedulingStrategy.DAEMON) {
            next.desiredCount(draining ? 0 : daemonInstances.size());
        }
        boolean tripped = false;
        for (RolloutPlan.Outcome outcome : plan.outcomes()) {
            switch (outcome) {
                case RolloutPlan.Completed c -> event(events, s, now, "(service " + s.name() + ") (deployment "
                        + c.deploymentId() + ") deployment completed.");
                case RolloutPlan.Failed f -> {
                    tripped = true;
                    event(events, s, now, "(service " + s.name() + ") (deployment " + f.deploymentId()
                            + ") deployment failed: tasks failed to start.");
                }
                case RolloutPlan.RollingBack r -> event(events, s, now, "(service " + s.name()
                        + ") rolling back to deployment " + r.targetId() + ".");
                case RolloutPlan.StartImpaired i -> event(events, s, now, "(service " + s.name()
                        + ") is unable to consistently start tasks successfully." + GUIDE);
                case RolloutPlan.Blocked b -> eventOnce(events, s, now, "(service " + s.name() + ") was unable to stop "
                        + "or start tasks during a deployment because of the service deployment configuration. Update "
                        + "the minimumHealthyPercent or maximumPercent value and try again.");
                case RolloutPlan.Retired r -> { }
            }
        }
        Service planned = next.build();
        Set<String> stopping = new HashSet<>();
        if (!tripped) {
            stopping = stop(planned, plan, events, now, targetPlan);
            start(planned, plan, events, now);
        }
        if (plan.steady() && !s.steady()) {
            event(events, s, now, "(service " + s.name() + ") has reached a steady state.");
        }
        next.steady(plan.steady());
        if (draining && allStopping(own, stopping, targetPlan != null)) {
            next.status(Service.Status.INACTIVE);
        }
        write(read, s, next.build(), events);
    }

    /** The service with the plan's deployments, throttle and last completed deployment. */
    private static Service.Builder applied(Service s, RolloutPlan plan, Instant now) {
        Map<String, ServiceDeployment> known = new HashMap<>();
        s.deployments().forEach(d -> known.put(d.id(), d));
        List<ServiceDeployment> mapped = new ArrayList<>();
        for (int i = 0; i < plan.deployments().size(); i++) {
            var state = plan.deployments().get(i);
            String status = i == 0 ? ServiceDeployment.PRIMARY : ServiceDeployment.ACTIVE;
            ServiceDeployment base = known.get(state.id());
            if (base != null) {
                mapped.add(base.with(state, status, now));
            } else if (state.rollbackOf() != null && s.lastCompleted() != null
                    && s.lastCompleted().id().equals(state.rollbackOf())) {
                mapped.add(s.lastCompleted().restoredAs(state, now));
            }
        }
        Service.Builder b = s.toBuilder().throttle(plan.throttle());
        if (mapped.isEmpty()) {
            return b;
        }
        b.deployments(mapped).taskDefinition(mapped.get(0).taskDefinition());
        for (RolloutPlan.Outcome o : plan.outcomes()) {
            if (o instanceof RolloutPlan.Completed c) {
                mapped.stream().filter(d -> d.id().equals(c.deploymentId())).findFirst().ifPresent(b::lastCompleted);
            }
        }
        return b;
    }

    private Set<String> stop(Service s, RolloutPlan plan, List<ServiceEvent> events, Instant now,
                             TargetPlan targetPlan) {
        Set<String> stopped = new HashSet<>();
        List<String> names = new ArrayList<>();
        for (RolloutPlan.Stop stop : plan.stops()) {
            String failingGroup = targetPlan == null ? null : targetPlan.failing().get(stop.taskId());
            String reason = stop.reason() != RolloutPlan.StopReason.UNHEALTHY
                    ? "Scaling activity initiated by (deployment " + s.primary().id() + ")"
                    : failingGroup != null ? ServiceTasks.ELB_UNHEALTHY_REASON + "(target-group " + failingGroup + ")"
                    : ServiceTasks.UNHEALTHY_REASON;
            try {
                if (targetPlan != null) {
                    tasks.deactivate(s.cluster(), stop.taskId(), StopCode.ServiceSchedulerInitiated, reason);
                } else {
                    tasks.stop(s.cluster(), stop.taskId(), StopCode.ServiceSchedulerInitiated, reason);
                }
                stopped.add(stop.taskId());
                names.add("(task " + stop.taskId() + ")");
            } catch (BerthException e) {
                // gone meanwhile: nothing to stop
            }
        }
        if (!names.isEmpty()) {
            event(events, s, now, "(service " + s.name() + ") has stopped " + names.size() + " running tasks: "
                    + String.join(" ", names) + ".");
        }
        return stopped;
    }

    private void start(Service s, RolloutPlan plan, List<ServiceEvent> events, Instant now) {
        List<Tag> serviceTags = "SERVICE".equals(s.propagateTags()) ? tags.of(services.arn(s)) : List.of();
        String propagate = "TASK_DEFINITION".equals(s.propagateTags()) ? "TASK_DEFINITION" : null;
        for (RolloutPlan.Start start : plan.starts()) {
            ServiceDeployment d = s.deployments().stream().filter(x -> x.id().equals(start.deploymentId()))
                    .findFirst().orElse(null);
            if (d == null) {
                continue;
            }
            int remaining = start.count();
            while (remaining > 0) {
                int n = Math.min(remaining, LAUNCH_BATCH);
                RunResult result;
                try {
                    result = tasks.runForService(new RunRequest(s.cluster(), d.taskDefinition(), n, s.group(), d.id(),
                            "{}", serviceTags, propagate, null,
                            start.instanceId() == null ? null : List.of(start.instanceId()),
                            ServicePlacement.strategies(s.placementStrategy()),
                            ServicePlacement.constraints(s.placementConstraints())));
                } catch (BerthException e) {
                    eventOnce(events, s, now, unplaceable(s, "Reason: " + e.getMessage()));
                    return;
                }
                if (!result.tasks().isEmpty()) {
                    StringBuilder names = new StringBuilder();
                    for (Task t : result.tasks()) {
                        names.append(names.isEmpty() ? "" : " ").append("(task ").append(t.id()).append(')');
                    }
                    event(events, s, now, "(service " + s.name() + ") has started " + result.tasks().size()
                            + " tasks: " + names + ".");
                }
                if (result.tasks().size() < n) {
                    eventOnce(events, s, now, unplaceable(s, closest(result.failures())));
                    break;
                }
                remaining -= n;
            }
        }
    }

    private static String unplaceable(Service s, String why) {
        return "(service " + s.name() + ") was unable to place a task because no container instance met all of its "
                + "requirements." + (why.isEmpty() ? "" : " " + why) + GUIDE;
    }

    /** ECS's "closest matching" clause for the first instance that was turned down for a reason of its own. */
    private static String closest(List<RunResult.Failure> failures) {
        for (RunResult.Failure f : failures) {
            String id = f.arn() == null ? "" : f.arn().substring(f.arn().lastIndexOf('/') + 1);
            String clause = switch (f.reason()) {
                case "RESOURCE:CPU" -> "has insufficient CPU units available.";
                case "RESOURCE:MEMORY" -> "has insufficient memory available.";
                case "RESOURCE:PORTS", "RESOURCE:PORTS_UDP" -> "is already using a port required by your task.";
                case "AGENT" -> "encountered error \"AGENT\".";
                default -> null;
            };
            if (clause != null) {
                return "The closest matching (container-instance " + id + ") " + clause;
            }
        }
        return "";
    }

    private List<String> daemonInstances(ServiceTasks view) {
        List<ContainerInstance> eligible = new ArrayList<>();
        for (ContainerInstance i : view.instances().values()) {
            if (i.active() && tasks.instances().connected(i)) {
                eligible.add(i);
            }
        }
        eligible.sort(Comparator.comparing(ContainerInstance::registeredAt,
                Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(ContainerInstance::id));
        return eligible.stream().map(ContainerInstance::id).toList();
    }

    private static boolean allStopping(List<Task> own, Set<String> stoppedNow, boolean balanced) {
        for (Task t : own) {
            if (balanced && (t.lastStatus() == TaskStatus.DEACTIVATING
                    || (t.lastStatus() == TaskStatus.RUNNING && stoppedNow.contains(t.id())))) {
                // its targets still drain: the service stays DRAINING until they are gone
                return false;
            }
            if (!t.stopped() && t.desiredStatus() == DesiredStatus.RUNNING && !stoppedNow.contains(t.id())) {
                return false;
            }
        }
        return true;
    }

    static void event(List<ServiceEvent> events, Service s, Instant now, String message) {
        events.add(new ServiceEvent(UUID.randomUUID().toString(), now, message));
    }

    /** An event, unless the same words were said within the last few minutes. */
    static void eventOnce(List<ServiceEvent> events, Service s, Instant now, String message) {
        Instant since = now.minus(REPEAT_AFTER);
        for (ServiceEvent e : s.events()) {
            if (e.createdAt().isAfter(since) && e.message().equals(message)) {
                return;
            }
        }
        event(events, s, now, message);
    }

    private void write(Versioned read, Service before, Service after, List<ServiceEvent> events) {
        Service next = after.withEvents(events);
        if (next.equals(before)) {
            return;
        }
        if (services.replace(read, next)) {
            return;
        }
        // Changed meanwhile (an UpdateService): keep the events; the next pass plans again.
        if (!events.isEmpty()) {
            services.update(before.cluster(), before.name(), current -> current.withEvents(events));
        }
    }
}
