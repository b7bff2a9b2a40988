package io.berth.agent.hollow;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a fleet of hollow instances behaves.
 *
 * @param startDelay from a task appearing in desired state to its RUNNING report
 * @param stopDelay from a stop request to its STOPPED report
 * @param failureRate probability in [0, 1] that a task fails to start (TaskFailedToStart)
 * @param zones availability zones, assigned round-robin
 */
public record HollowSettings(String cluster, int instances, int cpuUnits, int memoryMib, Duration startDelay,
                             Duration stopDelay, double failureRate, List<String> zones,
                             Map<String, String> attributes, Duration heartbeat) {
    public HollowSettings {
        zones = List.copyOf(zones);
        attributes = Map.copyOf(attributes);
        if (instances < 1) {
            throw new IllegalArgumentException("instances must be at least 1");
        }
        if (failureRate < 0 || failureRate > 1) {
            throw new IllegalArgumentException("failureRate must be within [0, 1]");
        }
    }
}
