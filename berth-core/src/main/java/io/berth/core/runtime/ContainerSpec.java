package io.berth.core.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to create: the engine-level form of one ECS container definition. Nulls mean "engine
 * default"; collections are never null.
 *
 * @param name the container name on the host
 * @param command overrides the image's CMD when not null
 * @param entryPoint overrides the image's ENTRYPOINT when not null
 * @param networkMode bridge, host, none, or container:ID
 * @param ports requested publications; hostPort 0 asks for an ephemeral port
 * @param cpuShares relative CPU weight (ECS cpu units; 0 = engine default)
 * @param memoryBytes hard limit, null for none
 * @param memoryReservationBytes soft limit, null for none
 * @param binds host-path or named-volume mounts, as {@code source:target[:ro]}
 * @param volumesFrom container ids (or names) whose volumes to mount, with optional {@code :ro}
 * @param healthCheck null for the image's own
 * @param stopTimeout grace before SIGKILL on stop, null for the engine default
 * @param cgroupParent the cgroup the container's own goes under (a task cgroup: {@link TaskCgroups}), null
 *     for the engine's default
 */
public record ContainerSpec(
        String name,
        String image,
        List<String> command,
        List<String> entryPoint,
        Map<String, String> environment,
        String workingDirectory,
        String user,
        Map<String, String> labels,
        String networkMode,
        List<ContainerState.PortBinding> ports,
        int cpuShares,
        Long memoryBytes,
        Long memoryReservationBytes,
        List<Ulimit> ulimits,
        boolean readonlyRootFilesystem,
        boolean init,
        boolean privileged,
        List<String> binds,
        List<String> volumesFrom,
        HealthCheck healthCheck,
        Duration stopTimeout,
        List<String> extraHosts,
        String cgroupParent) {

    public ContainerSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(image);
        command = command == null ? null : List.copyOf(command);
        entryPoint = entryPoint == null ? null : List.copyOf(entryPoint);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        ports = ports == null ? List.of() : List.copyOf(ports);
        ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
        binds = binds == null ? List.of() : List.copyOf(binds);
        volumesFrom = volumesFrom == null ? List.of() : List.copyOf(volumesFrom);
        extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
    }

    /** A spec without a cgroup parent (the engine's default). */
    public ContainerSpec(String name, String image, List<String> command, List<String> entryPoint,
                         Map<String, String> environment, String workingDirectory, String user,
                         Map<String, String> labels, String networkMode, List<ContainerState.PortBinding> ports,
                         int cpuShares, Long memoryBytes, Long memoryReservationBytes, List<Ulimit> ulimits,
                         boolean readonlyRootFilesystem, boolean init, boolean privileged, List<String> binds,
                         List<String> volumesFrom, HealthCheck healthCheck, Duration stopTimeout,
                         List<String> extraHosts) {
        this(name, image, command, entryPoint, environment, workingDirectory, user, labels, networkMode, ports,
                cpuShares, memoryBytes, memoryReservationBytes, ulimits, readonlyRootFilesystem, init, privileged,
                binds, volumesFrom, healthCheck, stopTimeout, extraHosts, null);
    }

    /** This spec with its container under {@code parent} (null: the engine's default). */
    public ContainerSpec withCgroupParent(String parent) {
        return new ContainerSpec(name, image, command, entryPoint, environment, workingDirectory, user, labels,
                networkMode, ports, cpuShares, memoryBytes, memoryReservationBytes, ulimits, readonlyRootFilesystem,
                init, privileged, binds, volumesFrom, healthCheck, stopTimeout, extraHosts, parent);
    }

    /** This spec with another hard memory limit (null: none of its own). */
    public ContainerSpec withMemoryBytes(Long bytes) {
        return new ContainerSpec(name, image, command, entryPoint, environment, workingDirectory, user, labels,
                networkMode, ports, cpuShares, bytes, memoryReservationBytes, ulimits, readonlyRootFilesystem,
                init, privileged, binds, volumesFrom, healthCheck, stopTimeout, extraHosts, cgroupParent);
    }

    public record Ulimit(String name, long soft, long hard) {
    }

    /** A Docker health check: {@code test} as in ECS ({@code ["CMD-SHELL", "..."]} or {@code ["CMD", ...]}). */
    public record HealthCheck(List<String> test, Duration interval, Duration timeout, int retries, Duration startPeriod) {
        public HealthCheck {
            test = List.copyOf(test);
        }
    }
}
