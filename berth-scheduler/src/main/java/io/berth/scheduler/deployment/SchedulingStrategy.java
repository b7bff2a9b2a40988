package io.berth.scheduler.deployment;

/** How a service places its tasks: a desired count anywhere, or one task on each instance. */
public enum SchedulingStrategy {
    REPLICA,
    DAEMON
}
