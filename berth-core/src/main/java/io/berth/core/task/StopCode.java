package io.berth.core.task;

/** ECS's {@code stopCode} values. */
public enum StopCode {
    TaskFailedToStart,
    EssentialContainerExited,
    UserInitiated,
    ServiceSchedulerInitiated,
    SpotInterruption,
    TerminationNotice
}
