package io.berth.core.task;

import io.berth.core.agent.ContainerReport;
import io.berth.core.agent.TaskReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How an agent's report of a task changes the task the server keeps. Pure and idempotent: applying
 * the same report twice, or an older one after a newer one, leaves the task as it was.
 */
public final class TaskReports {
    private TaskReports() {
    }

    /** The task after {@code report}; the same instance when nothing a client could see changed. */
    public static Task apply(Task task, TaskReport report, Instant now) {
        if (task.stopped()) {
            return task;
        }
        TaskStatus reported = parse(report.lastStatus());
        TaskStatus next = reported == null ? task.lastStatus() : TaskLifecycle.advance(task.lastStatus(), reported);
        Task.Builder b = task.toBuilder().lastStatus(next).containers(merge(task.containers(), report.containers()));
        if (report.healthStatus() != null) {
            b.healthStatus(report.healthStatus());
        }
        if (task.pullStartedAt() == null && report.pullStartedAt() != null) {
            b.pullStartedAt(report.pullStartedAt());
        }
        if (task.pullStoppedAt() == null && report.pullStoppedAt() != null) {
            b.pullStoppedAt(report.pullStoppedAt());
        }
        if (next.atLeast(TaskStatus.RUNNING) && next != TaskStatus.STOPPED && task.startedAt() == null) {
            b.startedAt(report.startedAt() != null ? report.startedAt() : now);
        }
        boolean agentStopping = next.atLeast(TaskStatus.DEACTIVATING);
        if (agentStopping && task.desiredStatus() != DesiredStatus.STOPPED) {
            b.desiredStatus(DesiredStatus.STOPPED).stoppingAt(now);
            b.stopCode(code(report.stopCode(), StopCode.EssentialContainerExited));
            b.stoppedReason(report.stoppedReason() != null ? report.stoppedReason() : "Essential container in task exited");
        }
        if (next == TaskStatus.STOPPED) {
            b.stoppedAt(now).executionStoppedAt(report.executionStoppedAt() != null ? report.executionStoppedAt() : now);
            if (task.stoppingAt() == null) {
                b.stoppingAt(now);
            }
            if (task.stopCode() == null) {
                b.stopCode(code(report.stopCode(), StopCode.EssentialContainerExited));
                b.stoppedReason(report.stoppedReason() != null ? report.stoppedReason()
                        : "Essential container in task exited");
            }
        }
        Task updated = b.build();
        return sameForClients(task, updated) ? task : updated;
    }

    private static StopCode code(String text, StopCode fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return StopCode.valueOf(text);
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    private static TaskStatus parse(String status) {
        if (status == null) {
            return null;
        }
        try {
            return TaskStatus.valueOf(status);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static List<TaskContainer> merge(List<TaskContainer> current, List<ContainerReport> reports) {
        List<TaskContainer> merged = new ArrayList<>(current.size());
        for (TaskContainer c : current) {
            TaskContainer next = c;
            for (ContainerReport r : reports) {
                if (r.name().equals(c.name()) && !("STOPPED".equals(c.lastStatus()) && !"STOPPED".equals(r.lastStatus()))) {
                    next = c.with(r);
                }
            }
            merged.add(next);
        }
        return merged;
    }

    private static boolean sameForClients(Task a, Task b) {
        return a.lastStatus() == b.lastStatus() && a.desiredStatus() == b.desiredStatus()
                && a.containers().equals(b.containers()) && Objects.equals(a.healthStatus(), b.healthStatus())
                && Objects.equals(a.pullStartedAt(), b.pullStartedAt())
                && Objects.equals(a.pullStoppedAt(), b.pullStoppedAt())
                && Objects.equals(a.startedAt(), b.startedAt()) && Objects.equals(a.stoppedAt(), b.stoppedAt())
                && Objects.equals(a.stoppingAt(), b.stoppingAt()) && a.stopCode() == b.stopCode()
                && Objects.equals(a.stoppedReason(), b.stoppedReason())
                && Objects.equals(a.executionStoppedAt(), b.executionStoppedAt());
    }
}
