package io.berth.lb.health;

/**
 * What the health checks last found for a registered, in-use target. Implementations are
 * thread-safe and answer from memory.
 */
@FunctionalInterface
public interface HealthView {
    /** The checked health of target {@code id:port} of a group; {@link TargetHealth#REGISTERING} when unchecked. */
    TargetHealth of(String targetGroupArn, String id, int port);
}
