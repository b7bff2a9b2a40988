package io.berth.core.agent;

import java.util.Map;

/**
 * An agent's request to register its host as a container instance of {@code cluster}.
 *
 * @param containerInstanceArn the ARN this agent had before (from its state directory), or null
 * @param token the token it had before, or null
 * @param hostAddress the address at which this host publishes container ports (127.0.0.1 on a laptop)
 * @param cpuUnits CPU units offered (cores x 1024)
 * @param memoryMib memory offered, after the reserve
 * @param reservedPorts TCP host ports that are never handed out (e.g. 22, the agent's own)
 * @param attributes custom and standard attributes (ecs.os-type, ecs.cpu-architecture,
 *     ecs.availability-zone, ecs.instance-type, ...)
 * @param agentVersion Berth's version
 * @param dockerVersion the engine's version, as in versionInfo
 * @param simulated whether this is a hollow instance (no containers run)
 */
public record Registration(String cluster, String containerInstanceArn, String token, String hostAddress,
                           int cpuUnits, int memoryMib, java.util.List<Integer> reservedPorts,
                           Map<String, String> attributes, String agentVersion, String dockerVersion,
                           boolean simulated) {
    public Registration {
        reservedPorts = reservedPorts == null ? java.util.List.of() : java.util.List.copyOf(reservedPorts);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
