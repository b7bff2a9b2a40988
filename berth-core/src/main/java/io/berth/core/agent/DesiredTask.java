package io.berth.core.agent;

import java.util.Map;

/**
 * One task as the agent must run it.
 *
 * @param desiredStatus RUNNING or STOPPED
 * @param taskDefinitionJson the registered task definition (the JSON of DescribeTaskDefinition's
 *     {@code taskDefinition}), exactly what the agent must run
 * @param overridesJson the task's {@code overrides} (RunTask's shape), "{}" when none
 * @param hostPorts host ports the server reserved per container: {@code "container/containerPort/protocol" -> hostPort};
 *     for a mapping not in this map (hostPort 0 or absent in bridge mode) the agent lets the engine
 *     pick an ephemeral port and reports it
 * @param stopReason the reason a STOPPED task was stopped, for the agent's logs
 * @param registryAuth credentials for Berth's own registry (null when none)
 */
public record DesiredTask(String taskArn, String cluster, String family, String revision, String desiredStatus,
                          String taskDefinitionArn, String taskDefinitionJson, String overridesJson,
                          Map<String, Integer> hostPorts, String stopReason, RegistryCredentials registryAuth) {
    public DesiredTask {
        hostPorts = hostPorts == null ? Map.of() : Map.copyOf(hostPorts);
    }

    public boolean stopRequested() {
        return "STOPPED".equals(desiredStatus);
    }

    /** Where and how to log in to pull from Berth's registry. */
    public record RegistryCredentials(String serverAddress, String username, String password) {
        @Override
        public String toString() {
            return "RegistryCredentials[" + serverAddress + ", " + username + ", ***]";
        }
    }
}
