package io.berth.agent.engine;

import io.berth.core.runtime.ContainerSpec;
import io.berth.core.runtime.TaskLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the engine must run for one task: its task definition and overrides, read once
 * ({@link TaskSpecs#read}) into engine terms.
 *
 * @param refusal why Berth cannot run this task (it then fails with TaskFailedToStart), or null
 * @param containers in task-definition order
 * @param limits what the task's cgroup holds ({@link TaskSpecs#limits}), null when the task has no
 *     task-level cpu or memory
 */
public record TaskSpec(String family, String revision, String networkMode, List<ContainerPlan> containers,
                       List<VolumePlan> volumes, String refusal, TaskLimits limits) {
    public TaskSpec {
        containers = List.copyOf(containers);
        volumes = List.copyOf(volumes);
    }

    /** A spec without task-level limits. */
    public TaskSpec(String family, String revision, String networkMode, List<ContainerPlan> containers,
                    List<VolumePlan> volumes, String refusal) {
        this(family, revision, networkMode, containers, volumes, refusal, null);
    }

    /** A spec for a task Berth will not run: no containers, just the reason. */
    static TaskSpec refused(String family, String revision, String refusal) {
        return new TaskSpec(family, revision, null, List.of(), List.of(), Objects.requireNonNull(refusal));
    }

    public Optional<ContainerPlan> container(String name) {
        return containers.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public Optional<VolumePlan> volume(String name) {
        return volumes.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /** The task-scoped Docker volumes, which go with the task's containers. */
    public List<VolumePlan> taskScopedVolumes() {
        return volumes.stream().filter(v -> v.kind() == VolumePlan.Kind.TASK).toList();
    }

    /**
     * One container definition in engine terms.
     *
     * @param template the engine spec, except its host name (chosen at create time) and
     *     {@code volumesFrom} (runtime ids of other containers, known at create time)
     * @param volumesFrom containers whose volumes this one mounts
     * @param volumes names of the task's volumes this container mounts
     * @param hasHealthCheck whether the task definition gives it a health check (health is UNKNOWN without)
     * @param portRanges the task definition's {@code containerPortRange} mappings, published port by port
     *     and reported as ranges
     * @param memoryFromTask whether the template's memory limit is the task's (the container has none of
     *     its own): under a task cgroup, which holds the task's memory, the container then has no limit
     */
    public record ContainerPlan(String name, boolean essential, String image, List<Dependency> dependsOn,
                                List<VolumeFrom> volumesFrom, List<String> volumes, ContainerSpec template,
                                Duration stopTimeout, boolean hasHealthCheck, List<PortRange> portRanges,
                                boolean memoryFromTask) {
        public ContainerPlan {
            dependsOn = List.copyOf(dependsOn);
            volumesFrom = List.copyOf(volumesFrom);
            volumes = List.copyOf(volumes);
            portRanges = portRanges == null ? List.of() : List.copyOf(portRanges);
        }

        public ContainerPlan(String name, boolean essential, String image, List<Dependency> dependsOn,
                             List<VolumeFrom> volumesFrom, List<String> volumes, ContainerSpec template,
                             Duration stopTimeout, boolean hasHealthCheck, List<PortRange> portRanges) {
            this(name, essential, image, dependsOn, volumesFrom, volumes, template, stopTimeout, hasHealthCheck,
                    portRanges, false);
        }

        public ContainerPlan(String name, boolean essential, String image, List<Dependency> dependsOn,
                             List<VolumeFrom> volumesFrom, List<String> volumes, ContainerSpec template,
                             Duration stopTimeout, boolean hasHealthCheck) {
            this(name, essential, image, dependsOn, volumesFrom, volumes, template, stopTimeout, hasHealthCheck,
                    List.of());
        }
    }

    /** A {@code containerPortRange} mapping: container ports {@code first..last} of {@code protocol}. */
    public record PortRange(int first, int last, String protocol) {
        public boolean contains(int port, String proto) {
            return port >= first && port <= last && protocol.equals(proto);
        }

        public int size() {
            return last - first + 1;
        }
    }

    /** {@code dependsOn}: this container waits until {@code container} reaches {@code condition}. */
    public record Dependency(String container, Condition condition) {
    }

    /** ECS's dependsOn conditions. */
    public enum Condition {
        /** The dependency has started. */
        START,
        /** The dependency has run and exited. */
        COMPLETE,
        /** The dependency has run and exited with 0. */
        SUCCESS,
        /** The dependency's health check passed. */
        HEALTHY
    }

    public record VolumeFrom(String sourceContainer, boolean readOnly) {
    }

    /**
     * A task volume.
     *
     * @param dockerName the Docker volume name (TASK and SHARED), or null for a host path
     * @param hostPath the host path (HOST), else null
     * @param create whether the engine creates the Docker volume before the containers that mount it
     */
    public record VolumePlan(String name, Kind kind, String hostPath, String dockerName, boolean create,
                             String driver, Map<String, String> driverOptions, Map<String, String> labels) {
        public VolumePlan {
            driverOptions = driverOptions == null ? Map.of() : Map.copyOf(driverOptions);
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }

        public enum Kind {
            /** {@code host.sourcePath}: a bind mount. */
            HOST,
            /** No source, or a task-scoped Docker volume: one Docker volume per task, removed with it. */
            TASK,
            /** A shared Docker volume: outlives the task. */
            SHARED
        }

        /** The source part of a bind: the host path or the Docker volume name. */
        public String source() {
            return kind == Kind.HOST ? hostPath : dockerName;
        }
    }
}
