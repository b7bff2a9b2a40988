package io.berth.agent.engine;

import io.berth.core.agent.ContainerReport;
import io.berth.core.agent.TaskReport;
import io.berth.core.runtime.ContainerState.PortBinding;
import java.util.ArrayList;
import java.util.Comparator;
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
        List<TaskSpec.PortRange> ranges = c.plan() == null ? List.of() : c.plan().portRanges();
        return new ContainerReport(c.name(), c.runtimeId(), c.phase().wire(), c.exitCode(), c.reason(),
                bindings(c.ports(), ranges), c.health(), c.imageDigest());
    }

    /**
     * ECS's networkBindings: one per published port, except that the ports of a
     * {@code containerPortRange} bound to contiguous host ports are one binding with both ranges.
     */
    static List<ContainerReport.NetworkBinding> bindings(List<PortBinding> ports, List<TaskSpec.PortRange> ranges) {
        List<ContainerReport.NetworkBinding> out = new ArrayList<>();
        List<PortBinding> rest = new ArrayList<>(ports);
        for (TaskSpec.PortRange r : ranges) {
            List<PortBinding> in = rest.stream().filter(p -> r.contains(p.containerPort(), p.protocol()))
                    .sorted(Comparator.comparingInt(PortBinding::containerPort)).toList();
            if (in.size() != r.size()) {
                continue;
            }
            int hostFirst = in.get(0).hostPort();
            boolean contiguous = true;
            for (int i = 0; i < in.size(); i++) {
                contiguous &= in.get(i).hostPort() == hostFirst + i && in.get(i).containerPort() == r.first() + i;
            }
            if (contiguous) {
                out.add(new ContainerReport.NetworkBinding(bindIp(in.get(0)), 0, 0, r.protocol(),
                        r.first() + "-" + r.last(), hostFirst + "-" + (hostFirst + r.size() - 1)));
                rest.removeAll(in);
            }
        }
        for (PortBinding p : rest) {
            out.add(new ContainerReport.NetworkBinding(bindIp(p), p.containerPort(), p.hostPort(), p.protocol()));
        }
        return out;
    }

    private static String bindIp(PortBinding p) {
        return p.hostIp() == null || p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp();
    }
}
