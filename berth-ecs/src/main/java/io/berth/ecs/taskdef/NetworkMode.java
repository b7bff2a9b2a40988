package io.berth.ecs.taskdef;

import java.util.Optional;

/** The Docker networking mode of a task definition ({@code networkMode}). */
public enum NetworkMode {
    BRIDGE("bridge"),
    HOST("host"),
    AWSVPC("awsvpc"),
    NONE("none");

    private final String wire;

    NetworkMode(String wire) {
        this.wire = wire;
    }

    /** The value on the wire: {@code bridge}, {@code host}, {@code awsvpc}, {@code none}. */
    public String wire() {
        return wire;
    }

    public static Optional<NetworkMode> fromWire(String value) {
        for (NetworkMode m : values()) {
            if (m.wire.equals(value)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** Whether host ports must equal container ports (each task has its own or the host's stack). */
    public boolean hostPortIsContainerPort() {
        return this == HOST || this == AWSVPC;
    }
}
