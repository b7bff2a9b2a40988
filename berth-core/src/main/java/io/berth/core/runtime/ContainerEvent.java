package io.berth.core.runtime;

import java.time.Instant;
import java.util.Map;

/**
 * An engine event about one container.
 *
 * @param action start, die, oom, destroy, health_status: healthy / health_status: unhealthy, ...
 * @param labels the container's labels
 */
public record ContainerEvent(String containerId, String action, Map<String, String> labels, Instant at) {
    public ContainerEvent {
        labels = Map.copyOf(labels);
    }
}
