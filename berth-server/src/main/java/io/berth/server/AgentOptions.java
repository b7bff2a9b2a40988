package io.berth.server;

import io.berth.agent.AgentConfig;
import io.berth.agent.engine.PullBehavior;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options of a host agent, shared by {@code berth agent} and the agent {@code berth up} runs. */
class AgentOptions {
    @Option(names = "--cluster", defaultValue = "${env:BERTH_CLUSTER:-default}",
            description = "Cluster to join (BERTH_CLUSTER; default ${DEFAULT-VALUE}).")
    String cluster;

    @Option(names = "--host-address", defaultValue = "${env:BERTH_HOST_ADDRESS:-127.0.0.1}",
            description = "Address container ports are published on (default ${DEFAULT-VALUE}).")
    String hostAddress;

    @Option(names = "--attribute", description = "A custom attribute key=value (repeatable).")
    List<String> attributes = List.of();

    @Option(names = "--availability-zone", description = "ecs.availability-zone (default: the region + 'a').")
    String availabilityZone;

    @Option(names = "--instance-type", defaultValue = "berth.local",
            description = "ecs.instance-type (default ${DEFAULT-VALUE}).")
    String instanceType;

    @Option(names = "--memory-reserve", defaultValue = "256",
            description = "MiB of host memory kept out of the instance's resources (default ${DEFAULT-VALUE}).")
    int memoryReserve;

    @Option(names = "--pull-behavior", defaultValue = "${env:ECS_IMAGE_PULL_BEHAVIOR}",
            description = "default | always | once | prefer-cached, as the ECS agent's ECS_IMAGE_PULL_BEHAVIOR "
                    + "(berth agent: default; berth up, on a laptop: prefer-cached).")
    String pullBehavior;

    @Option(names = "--allow-privileged", description = "Let task definitions run privileged containers here.")
    boolean allowPrivileged;

    AgentConfig config(URI server, Path stateDir, String region, String keyId, String secret) {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("ecs.instance-type", instanceType);
        attrs.put("ecs.availability-zone", availabilityZone != null ? availabilityZone : region + "a");
        for (String a : attributes) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--attribute takes key=value, not '" + a + "'");
            }
            attrs.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return AgentConfig.of(server, stateDir, keyId, secret)
                .withCluster(cluster)
                .withHostAddress(hostAddress)
                .withRegion(region)
                .withMemoryReserveMib(memoryReserve)
                .withAttributes(attrs)
                .withPullBehavior(PullBehavior.parse(pullBehavior == null || pullBehavior.isBlank() ? "default" : pullBehavior))
                .withAllowPrivileged(allowPrivileged);
    }
}
