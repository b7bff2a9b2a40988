package io.berth.agent.engine;

import io.berth.core.agent.ContainerReport;
import io.berth.core.agent.TaskReport;
import java.util.List;

/** A task's record → the {@link TaskReport} the server gets (the whole current state: level-triggered). */
public final class TaskReports {
    private TaskReports() {
    }

    public static TaskReport of(TaskRecord t) {
        List<ContainerReport> containers = t.containers().stream().map(TaskReports::container).toList();
        return new TaskReport(t.taskArn(), t.phase().wire(), health(t), t.pullStartedAt(), t.pullStoppedAt(),
                t.startedAt(), t.executionStoppedAt(), t.stopCode(), t.stoppedReason(), containers);
    }

    /**
     * ECS's task healthStatus: UNHEALTHY if an essential container with a health check is unhealthy,
     * HEALTHY if every essential container with a health check is healthy, else UNKNOWN.
     */
    static String health(TaskRecord t) {
        List<String> checked = t.containers().stream()
                .filter(c -> c.essential() && c.plan() != null && c.plan().hasHealthCheck())
                .map(ContainerRecord::health)
                .toList();
        if (checked.contains("UNHEALTHY")) {
            return "UNHEALTHY";
        }
        return !checked.isEmpty() && checked.stream().allMatch("HEALTHY"::equals) ? "HEALTHY" : "UNKNOWN";
    }

    static ContainerReport container(ContainerRecord c) {
        List<ContainerReport.NetworkBinding> bindings = c.ports().stream()
                .map(p -> new ContainerReport.NetworkBinding(
                        p.hostIp() == null || p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp(),
                        p.containerPort(), p.hostPort(), p.protocol()))
                .toList();
        return new ContainerReport(c.name(), c.runtimeId(), c.phase().wire(), c.exitCode(), c.reason(), bindings,
                c.health(), c.imageDigest());
    }
}
