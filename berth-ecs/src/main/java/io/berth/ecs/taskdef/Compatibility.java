package io.berth.ecs.taskdef;

import java.util.Optional;

/** A launch type a task definition can be validated against ({@code requiresCompatibilities}). */
public enum Compatibility {
    EC2,
    FARGATE,
    EXTERNAL,
    MANAGED_INSTANCES;

    public static Optional<Compatibility> fromWire(String value) {
        for (Compatibility c : values()) {
            if (c.name().equals(value)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
