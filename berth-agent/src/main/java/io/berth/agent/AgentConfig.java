package io.berth.agent;

import io.berth.agent.engine.EngineSettings;
import io.berth.agent.engine.PullBehavior;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a host agent runs. {@link #of} gives the defaults; {@code withX} changes one thing.
 *
 * @param serverUrl the server's endpoint, e.g. {@code http://127.0.0.1:4566}
 * @param cluster the cluster to join ("default")
 * @param stateDir where the agent keeps its container instance ARN and token
 * @param hostAddress the address container ports are published on (127.0.0.1)
 * @param region the region registration is signed for, and the default availability zone's ("us-east-1")
 * @param cpuUnits CPU units offered; null for the host's cores × 1024
 * @param memoryReserveMib memory kept for the host (256): the instance offers the host's memory minus this
 * @param reservedPorts host ports never handed out (22, 2375, 2376; the server's port is added when it is local)
 * @param attributes custom attributes; they may override the standard ones (ecs.os-type,
 *     ecs.cpu-architecture, ecs.availability-zone = region + "a", ecs.instance-type = berth.local)
 * @param pullBehavior as the ECS agent's ECS_IMAGE_PULL_BEHAVIOR
 * @param allowPrivileged whether privileged containers may run here
 * @param stopTimeout a container's grace between SIGTERM and SIGKILL when its definition gives none (30 s)
 * @param cleanupDelay how long containers of a stopped task stay on the host (10 min)
 * @param heartbeatInterval how often the agent reports when nothing changes (10 s)
 * @param reportInterval reports are coalesced: at most one per interval (20 ms)
 * @param relistInterval how often the engine lists all containers to catch missed events (5 s)
 * @param retryBase first delay after a failed server call (doubling, jittered)
 * @param retryCap longest delay between retries of server calls
 */
public record AgentConfig(URI serverUrl, String cluster, Path stateDir, String hostAddress, String region,
                          String accessKeyId, String secretAccessKey, Integer cpuUnits, int memoryReserveMib,
                          List<Integer> reservedPorts, Map<String, String> attributes, PullBehavior pullBehavior,
                          boolean allowPrivileged, Duration stopTimeout, Duration cleanupDelay,
                          Duration heartbeatInterval, Duration reportInterval, Duration relistInterval,
                          Duration retryBase, Duration retryCap) {
    public static final List<Integer> DEFAULT_RESERVED_PORTS = List.of(22, 2375, 2376);

    public AgentConfig {
        Objects.requireNonNull(serverUrl, "serverUrl");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        cluster = cluster == null || cluster.isBlank() ? "default" : cluster;
        hostAddress = hostAddress == null || hostAddress.isBlank() ? "127.0.0.1" : hostAddress;
        region = region == null || region.isBlank() ? "us-east-1" : region;
        if (memoryReserveMib < 0) {
            throw new IllegalArgumentException("memoryReserveMib must be ≥ 0: " + memoryReserveMib);
        }
        reservedPorts = reservedPorts == null ? DEFAULT_RESERVED_PORTS : List.copyOf(reservedPorts);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        pullBehavior = pullBehavior == null ? PullBehavior.DEFAULT : pullBehavior;
        stopTimeout = stopTimeout == null ? Duration.ofSeconds(30) : stopTimeout;
        cleanupDelay = cleanupDelay == null ? Duration.ofMinutes(10) : cleanupDelay;
        heartbeatInterval = heartbeatInterval == null ? Duration.ofSeconds(10) : heartbeatInterval;
        reportInterval = reportInterval == null ? Duration.ofMillis(20) : reportInterval;
        relistInterval = relistInterval == null ? Duration.ofSeconds(5) : relistInterval;
        retryBase = retryBase == null ? Duration.ofMillis(500) : retryBase;
        retryCap = retryCap == null ? Duration.ofSeconds(30) : retryCap;
    }

    /** The defaults, for the server at {@code serverUrl} with the given access key. */
    public static AgentConfig of(URI serverUrl, Path stateDir, String accessKeyId, String secretAccessKey) {
        return new AgentConfig(serverUrl, null, stateDir, null, null, accessKeyId, secretAccessKey, null, 256, null,
                null, null, false, null, null, null, null, null, null, null);
    }

    /** The engine's settings for this agent. */
    public EngineSettings engineSettings() {
        return EngineSettings.defaults()
                .withHostAddress(hostAddress)
                .withPullBehavior(pullBehavior)
                .withAllowPrivileged(allowPrivileged)
                .withStopTimeout(stopTimeout)
                .withCleanupDelay(cleanupDelay)
                .withRelistInterval(relistInterval);
    }

    public AgentConfig withCluster(String cluster) {
        return with(b -> b.cluster = cluster);
    }

    public AgentConfig withHostAddress(String hostAddress) {
        return with(b -> b.hostAddress = hostAddress);
    }

    public AgentConfig withRegion(String region) {
        return with(b -> b.region = region);
    }

    public AgentConfig withCpuUnits(Integer cpuUnits) {
        return with(b -> b.cpuUnits = cpuUnits);
    }

    public AgentConfig withMemoryReserveMib(int memoryReserveMib) {
        return with(b -> b.memoryReserveMib = memoryReserveMib);
    }

    public AgentConfig withReservedPorts(List<Integer> reservedPorts) {
        return with(b -> b.reservedPorts = reservedPorts);
    }

    public AgentConfig withAttributes(Map<String, String> attributes) {
        return with(b -> b.attributes = attributes);
    }

    public AgentConfig withPullBehavior(PullBehavior pullBehavior) {
        return with(b -> b.pullBehavior = pullBehavior);
    }

    public AgentConfig withAllowPrivileged(boolean allowPrivileged) {
        return with(b -> b.allowPrivileged = allowPrivileged);
    }

    public AgentConfig withStopTimeout(Duration stopTimeout) {
        return with(b -> b.stopTimeout = stopTimeout);
    }

    public AgentConfig withCleanupDelay(Duration cleanupDelay) {
        return with(b -> b.cleanupDelay = cleanupDelay);
    }

    public AgentConfig withHeartbeatInterval(Duration heartbeatInterval) {
        return with(b -> b.heartbeatInterval = heartbeatInterval);
    }

    public AgentConfig withReportInterval(Duration reportInterval) {
        return with(b -> b.reportInterval = reportInterval);
    }

    public AgentConfig withRelistInterval(Duration relistInterval) {
        return with(b -> b.relistInterval = relistInterval);
    }

    public AgentConfig withRetry(Duration retryBase, Duration retryCap) {
        return with(b -> {
            b.retryBase = retryBase;
            b.retryCap = retryCap;
        });
    }

    @Override
    public String toString() {
        return "AgentConfig[" + serverUrl + ", cluster " + cluster + ", state " + stateDir + ", host " + hostAddress
                + ", region " + region + ", key " + accessKeyId + "]";
    }

    private AgentConfig with(Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    private static final class Builder {
        private final AgentConfig c;
        String cluster;
        String hostAddress;
        String region;
        Integer cpuUnits;
        int memoryReserveMib;
        List<Integer> reservedPorts;
        Map<String, String> attributes;
        PullBehavior pullBehavior;
        boolean allowPrivileged;
        Duration stopTimeout;
        Duration cleanupDelay;
        Duration heartbeatInterval;
        Duration reportInterval;
        Duration relistInterval;
        Duration retryBase;
        Duration retryCap;

        Builder(AgentConfig c) {
            this.c = c;
            cluster = c.cluster;
            hostAddress = c.hostAddress;
            region = c.region;
            cpuUnits = c.cpuUnits;
            memoryReserveMib = c.memoryReserveMib;
            reservedPorts = c.reservedPorts;
            attributes = c.attributes;
            pullBehavior = c.pullBehavior;
            allowPrivileged = c.allowPrivileged;
            stopTimeout = c.stopTimeout;
            cleanupDelay = c.cleanupDelay;
            heartbeatInterval = c.heartbeatInterval;
            reportInterval = c.reportInterval;
            relistInterval = c.relistInterval;
            retryBase = c.retryBase;
            retryCap = c.retryCap;
        }

        AgentConfig build() {
            return new AgentConfig(c.serverUrl, cluster, c.stateDir, hostAddress, region, c.accessKeyId,
                    c.secretAccessKey, cpuUnits, memoryReserveMib, reservedPorts, attributes, pullBehavior,
                    allowPrivileged, stopTimeout, cleanupDelay, heartbeatInterval, reportInterval, relistInterval,
                    retryBase, retryCap);
        }
    }
}
