package io.berth.scheduler.snapshot;

import io.berth.core.task.Allocation;
import io.berth.core.task.Task;
import io.berth.core.task.TaskStatus;
import java.util.Objects;

/**
 * A live task as placement sees it: enough to count it for spread and distinctInstance and to
 * answer {@code task:group} and {@code runningTasksCount} in a cluster query.
 *
 * @param group ECS's task group: {@code family:NAME} for a standalone task unless RunTask named
 *     one, {@code service:NAME} for a service task
 * @param family the task definition family; null when unknown (the tasks a placement call adds)
 * @param serviceName the service the task belongs to, or null for a standalone task
 * @param allocation what the task holds on its instance while it is not STOPPED
 */
public record TaskView(String id, String group, String family, String serviceName, TaskStatus status,
                       Allocation allocation) {
    private static final String SERVICE_GROUP = "service:";

    public TaskView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        allocation = allocation == null ? Allocation.NONE : allocation;
    }

    /** A task holding nothing. */
    public TaskView(String id, String group, String family, String serviceName, TaskStatus status) {
        this(id, group, family, serviceName, status, Allocation.NONE);
    }

    /** The view of a stored task; a group {@code service:NAME} makes it a task of service NAME. */
    public static TaskView of(Task task) {
        String group = task.group();
        String service = group != null && group.startsWith(SERVICE_GROUP) ? group.substring(SERVICE_GROUP.length())
                : null;
        return new TaskView(task.id(), group, task.family(), service, task.lastStatus(), task.allocation());
    }

    /** Not STOPPED: it holds resources and counts for spread, distinctInstance and task:group. */
    public boolean live() {
        return !status.terminal();
    }

    /** What DescribeContainerInstances counts in {@code runningTasksCount}: started and not yet STOPPED. */
    public boolean running() {
        return !status.pending() && !status.terminal();
    }
}
