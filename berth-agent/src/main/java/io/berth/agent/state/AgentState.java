package io.berth.agent.state;

import java.util.Objects;

/**
 * What an agent keeps between runs: which container instance it is, and its token.
 *
 * @param cluster the cluster the instance is registered in
 * @param ec2InstanceId the instance's {@code i-...} id
 */
public record AgentState(String cluster, String containerInstanceArn, String ec2InstanceId, String token) {
    public AgentState {
        Objects.requireNonNull(cluster);
        Objects.requireNonNull(containerInstanceArn);
    }

    @Override
    public String toString() {
        return "AgentState[" + cluster + ", " + containerInstanceArn + ", " + ec2InstanceId + ", token ***]";
    }
}
