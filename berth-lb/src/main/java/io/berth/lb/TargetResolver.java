package io.berth.lb;

import java.util.Optional;

/**
 * Where an instance target lives: the host address of the container instance an {@code i-...} id
 * names (the agent's host address). Berth's server backs it with its container instances; tests
 * with a map. Implementations must be thread-safe and fast (called on every configuration rebuild
 * and on RegisterTargets); they must not block on I/O.
 */
@FunctionalInterface
public interface TargetResolver {
    /** The host address (IP or name) of {@code instanceId}, or empty when no such instance is registered. */
    Optional<String> hostOf(String instanceId);

    /** A resolver that knows no instance: only ip targets can be registered. */
    static TargetResolver none() {
        return id -> Optional.empty();
    }
}
