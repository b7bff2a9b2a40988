package io.berth.core.agent;

import java.util.List;

/**
 * One container of a task on the host.
 *
 * @param lastStatus PENDING, RUNNING or STOPPED
 * @param reason why it stopped or failed, e.g. "CannotPullContainerError: ..." or
 *     "CannotStartContainerError: ..."
 * @param healthStatus HEALTHY, UNHEALTHY or UNKNOWN
 * @param imageDigest the image's digest once pulled, or null
 */
public record ContainerReport(String name, String runtimeId, String lastStatus, Integer exitCode, String reason,
                              List<NetworkBinding> networkBindings, String healthStatus, String imageDigest) {
    public ContainerReport {
        networkBindings = networkBindings == null ? List.of() : List.copyOf(networkBindings);
    }

    /**
     * A published port, or a published range of ports, in ECS's {@code networkBindings} shape.
     *
     * @param containerPortRange {@code "first-last"} when the binding is a range (then
     *     {@code containerPort} and {@code hostPort} are 0), else null
     * @param hostPortRange the host ports of that range, {@code "first-last"}, else null
     */
    public record NetworkBinding(String bindIP, int containerPort, int hostPort, String protocol,
                                 String containerPortRange, String hostPortRange) {
        public NetworkBinding(String bindIP, int containerPort, int hostPort, String protocol) {
            this(bindIP, containerPort, hostPort, protocol, null, null);
        }

        public boolean range() {
            return containerPortRange != null;
        }
    }
}
