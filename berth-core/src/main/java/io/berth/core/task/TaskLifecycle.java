package io.berth.core.task;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The transition table of a task's last status. A transition is allowed when the target is later
 * in the lifecycle, except that nothing leaves STOPPED, and a task that never reached RUNNING may
 * jump straight to the stopping states (it failed to start). Reporting the current status again is
 * allowed and changes nothing. Pure; no I/O.
 */
public final class TaskLifecycle {
    private static final Map<TaskStatus, Set<TaskStatus>> ALLOWED = new EnumMap<>(TaskStatus.class);

    static {
        for (TaskStatus from : TaskStatus.values()) {
            Set<TaskStatus> to = EnumSet.noneOf(TaskStatus.class);
            for (TaskStatus target : TaskStatus.values()) {
                if (from != TaskStatus.STOPPED && target.ordinal() > from.ordinal()) {
                    to.add(target);
                }
            }
            ALLOWED.put(from, to);
        }
    }

    private TaskLifecycle() {
    }

    public static boolean allowed(TaskStatus from, TaskStatus to) {
        return from == to || ALLOWED.get(from).contains(to);
    }

    /** The status after a report of {@code reported}: the later of the two where allowed, else unchanged. */
    public static TaskStatus advance(TaskStatus current, TaskStatus reported) {
        return allowed(current, reported) ? reported : current;
    }
}
