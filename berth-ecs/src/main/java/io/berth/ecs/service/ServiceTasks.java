package io.berth.ecs.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.instance.ContainerInstance;
import io.berth.core.task.DesiredStatus;
import io.berth.core.task.StopCode;
import io.berth.core.task.Task;
import io.berth.core.task.TaskStatus;
import io.berth.ecs.task.Tasks;
import io.berth.ecs.taskdef.TaskDefinitions;
import io.berth.scheduler.deployment.ServiceTask;
import io.berth.scheduler.deployment.ServiceTask.Ending;
import io.berth.scheduler.deployment.ServiceTask.Health;
import io.berth.scheduler.deployment.ServiceTask.Phase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tasks of one cluster's services, read once and grouped by service (group
 * {@code service:<name>}, startedBy the deployment id), and their view for the planner.
 */
final class ServiceTasks {
    /** The stoppedReason of a task the scheduler stops for failed container health checks. */
    static final String UNHEALTHY_REASON = "Task failed container health checks";
    /** The stoppedReason of a task the scheduler stops for failed load balancer health checks (then the group). */
    static final String ELB_UNHEALTHY_REASON = "Task failed ELB health checks in ";
    private static final String DEPLOYMENT_PREFIX = "ecs-svc/";

    private final Map<String, List<Task>> byService = new HashMap<>();
    private final Map<String, ContainerInstance> instances = new HashMap<>();

    private ServiceTasks() {
    }

    /** Reads the tasks and instances of {@code cluster}. */
    static ServiceTasks of(Tasks tasks, String cluster) {
        ServiceTasks view = new ServiceTasks();
        for (Task t : tasks.list(cluster, t -> t.group() != null && t.group().startsWith("service:")
                && t.startedBy() != null && t.startedBy().startsWith(DEPLOYMENT_PREFIX), null, Integer.MAX_VALUE)) {
            view.byService.computeIfAbsent(t.group().substring("service:".length()), k -> new ArrayList<>()).add(t);
        }
        for (ContainerInstance i : tasks.instances().all(cluster)) {
            view.instances.put(i.id(), i);
        }
        return view;
    }

    List<Task> of(String service) {
        return byService.getOrDefault(service, List.of());
    }

    Map<String, ContainerInstance> instances() {
        return instances;
    }

    /** Running and pending counts, for the service and for each deployment. */
    record Counts(int running, int pending) {
    }

    static Counts count(List<Task> tasks, String deploymentId) {
        int running = 0;
        int pending = 0;
        for (Task t : tasks) {
            if (deploymentId != null && !deploymentId.equals(t.startedBy())) {
                continue;
            }
            if (t.lastStatus() == TaskStatus.RUNNING) {
                running++;
            } else if (t.lastStatus().pending() && t.desiredStatus() == DesiredStatus.RUNNING) {
                pending++;
            }
        }
        return new Counts(running, pending);
    }

    /** Tasks of a deployment the scheduler still wants running (an ACTIVE deployment's desiredCount). */
    static int wanted(List<Task> tasks, String deploymentId) {
        int n = 0;
        for (Task t : tasks) {
            if (deploymentId.equals(t.startedBy()) && !t.stopped() && t.desiredStatus() == DesiredStatus.RUNNING) {
                n++;
            }
        }
        return n;
    }

    /** A task as the planner sees it, for a service without a load balancer. */
    ServiceTask view(Task t, HealthChecks checks) {
        return view(t, checks, ServiceTask.TargetHealth.NONE);
    }

    /** A task as the planner sees it, with the health of its load balancer targets. */
    ServiceTask view(Task t, HealthChecks checks, ServiceTask.TargetHealth targets) {
        ContainerInstance instance = instances.get(t.containerInstanceId());
        boolean draining = instance == null || !instance.active();
        Phase phase;
        if (t.stopped()) {
            phase = Phase.STOPPED;
        } else if (t.desiredStatus() == DesiredStatus.STOPPED || t.lastStatus().atLeast(TaskStatus.DEACTIVATING)) {
            phase = Phase.STOPPING;
        } else if (t.lastStatus() == TaskStatus.RUNNING) {
            phase = Phase.RUNNING;
        } else {
            phase = Phase.PENDING;
        }
        Ending ending = phase == Phase.STOPPING || phase == Phase.STOPPED ? ending(t) : null;
        return new ServiceTask(t.id(), t.startedBy(), phase, checks.of(t), health(t.healthStatus()), t.createdAt(),
                t.startedAt(), t.stoppedAt() != null ? t.stoppedAt() : t.stoppingAt(), t.containerInstanceId(),
                t.availabilityZone(), draining, ending, targets);
    }

    private static Health health(String status) {
        if ("HEALTHY".equals(status)) {
            return Health.HEALTHY;
        }
        return "UNHEALTHY".equals(status) ? Health.UNHEALTHY : Health.UNKNOWN;
    }

    /** Why a task ended, as the circuit breaker and the throttle count it. */
    static Ending ending(Task t) {
        StopCode code = t.stopCode();
        String reason = t.stoppedReason() == null ? "" : t.stoppedReason();
        if (code == StopCode.ServiceSchedulerInitiated) {
            return reason.startsWith(UNHEALTHY_REASON) || reason.startsWith(ELB_UNHEALTHY_REASON) ? Ending.UNHEALTHY
                    : Ending.SCHEDULER;
        }
        if (code == StopCode.UserInitiated || code == StopCode.SpotInterruption || code == StopCode.TerminationNotice
                || (reason.startsWith("Container instance ") && reason.endsWith(" was deregistered"))) {
            return Ending.OTHER;
        }
        if (code == null && t.desiredStatus() == DesiredStatus.STOPPED && !t.stopped()) {
            return Ending.OTHER;
        }
        return t.startedAt() == null ? Ending.FAILED_TO_START : Ending.EXITED;
    }

    /** Whether a task's definition has an essential container with a health check; cached per definition. */
    static final class HealthChecks {
        private final TaskDefinitions definitions;
        private final Map<String, Boolean> cache = new HashMap<>();

        HealthChecks(TaskDefinitions definitions) {
            this.definitions = definitions;
        }

        boolean of(Task t) {
            return cache.computeIfAbsent(t.family() + ":" + t.revision(), k -> definitions.get(t.family(), t.revision())
                    .map(td -> {
                        for (JsonNode c : td.spec().path("containerDefinitions")) {
                            if (c.path("essential").asBoolean(true) && c.hasNonNull("healthCheck")
                                    && c.path("healthCheck").path("command").size() > 0) {
                                return true;
                            }
                        }
                        return false;
                    }).orElse(false));
        }
    }
}
