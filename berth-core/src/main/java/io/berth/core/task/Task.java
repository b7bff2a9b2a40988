package io.berth.core.task;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An ECS task as Berth keeps it. Desired and last status are two fields (STYLE.md 3); the
 * timestamps are ECS's. {@code overridesJson} is RunTask's {@code overrides} as given.
 *
 * @param version ECS's task {@code version}: +1 on every change a client could see
 */
public record Task(
        String cluster,
        String id,
        String taskDefinitionArn,
        String family,
        int revision,
        String containerInstanceId,
        TaskStatus lastStatus,
        DesiredStatus desiredStatus,
        String launchType,
        String group,
        String startedBy,
        String overridesJson,
        int cpu,
        int memory,
        Allocation allocation,
        List<TaskContainer> containers,
        String healthStatus,
        Instant createdAt,
        Instant pullStartedAt,
        Instant pullStoppedAt,
        Instant startedAt,
        Instant stoppingAt,
        Instant executionStoppedAt,
        Instant stoppedAt,
        StopCode stopCode,
        String stoppedReason,
        String availabilityZone,
        long version) {

    public Task {
        Objects.requireNonNull(cluster);
        Objects.requireNonNull(id);
        Objects.requireNonNull(lastStatus);
        Objects.requireNonNull(desiredStatus);
        containers = containers == null ? List.of() : List.copyOf(containers);
        allocation = allocation == null ? Allocation.NONE : allocation;
    }

    /** The store key of a task: {@code cluster/id}. */
    public String key() {
        return cluster + "/" + id;
    }

    public boolean stopped() {
        return lastStatus == TaskStatus.STOPPED;
    }

    /** Asked to stop (StopTask, a scheduler, an instance going away); a no-op once stopping. */
    public Task stopRequested(StopCode code, String reason, Instant at) {
        if (desiredStatus == DesiredStatus.STOPPED) {
            return this;
        }
        return new Builder(this).desiredStatus(DesiredStatus.STOPPED).stoppingAt(at).stopCode(code)
                .stoppedReason(reason).build();
    }

    /** Marked STOPPED by the server itself (its instance is gone), releasing its allocation. */
    public Task stoppedByServer(StopCode code, String reason, Instant at) {
        Builder b = new Builder(this).desiredStatus(DesiredStatus.STOPPED).lastStatus(TaskStatus.STOPPED)
                .stoppedAt(at).executionStoppedAt(executionStoppedAt == null ? at : executionStoppedAt);
        if (stoppingAt == null) {
            b.stoppingAt(at);
        }
        if (stopCode == null) {
            b.stopCode(code).stoppedReason(reason);
        }
        List<TaskContainer> stoppedContainers = new ArrayList<>();
        for (TaskContainer c : containers) {
            stoppedContainers.add("STOPPED".equals(c.lastStatus()) ? c : new TaskContainer(c.id(), c.name(), c.image(),
                    c.imageDigest(), c.runtimeId(), "STOPPED", c.exitCode(), c.reason() == null ? reason : c.reason(),
                    c.networkBindings(), c.healthStatus(), c.cpu(), c.memory(), c.memoryReservation(), c.essential()));
        }
        return b.containers(stoppedContainers).build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes to a task, as one copy; {@link #build()} increments {@code version}. */
    public static final class Builder {
        private final Task t;
        private TaskStatus lastStatus;
        private DesiredStatus desiredStatus;
        private List<TaskContainer> containers;
        private String healthStatus;
        private Instant pullStartedAt;
        private Instant pullStoppedAt;
        private Instant startedAt;
        private Instant stoppingAt;
        private Instant executionStoppedAt;
        private Instant stoppedAt;
        private StopCode stopCode;
        private String stoppedReason;

        Builder(Task t) {
            this.t = t;
            lastStatus = t.lastStatus;
            desiredStatus = t.desiredStatus;
            containers = t.containers;
            healthStatus = t.healthStatus;
            pullStartedAt = t.pullStartedAt;
            pullStoppedAt = t.pullStoppedAt;
            startedAt = t.startedAt;
            stoppingAt = t.stoppingAt;
            executionStoppedAt = t.executionStoppedAt;
            stoppedAt = t.stoppedAt;
            stopCode = t.stopCode;
            stoppedReason = t.stoppedReason;
        }

        public Builder lastStatus(TaskStatus v) { lastStatus = v; return this; }
        public Builder desiredStatus(DesiredStatus v) { desiredStatus = v; return this; }
        public Builder containers(List<TaskContainer> v) { containers = v; return this; }
        public Builder healthStatus(String v) { healthStatus = v; return this; }
        public Builder pullStartedAt(Instant v) { pullStartedAt = v; return this; }
        public Builder pullStoppedAt(Instant v) { pullStoppedAt = v; return this; }
        public Builder startedAt(Instant v) { startedAt = v; return this; }
        public Builder stoppingAt(Instant v) { stoppingAt = v; return this; }
        public Builder executionStoppedAt(Instant v) { executionStoppedAt = v; return this; }
        public Builder stoppedAt(Instant v) { stoppedAt = v; return this; }
        public Builder stopCode(StopCode v) { stopCode = v; return this; }
        public Builder stoppedReason(String v) { stoppedReason = v; return this; }

        public Task build() {
            return new Task(t.cluster, t.id, t.taskDefinitionArn, t.family, t.revision, t.containerInstanceId,
                    lastStatus, desiredStatus, t.launchType, t.group, t.startedBy, t.overridesJson, t.cpu, t.memory,
                    t.allocation, containers, healthStatus, t.createdAt, pullStartedAt, pullStoppedAt, startedAt,
                    stoppingAt, executionStoppedAt, stoppedAt, stopCode, stoppedReason, t.availabilityZone,
                    t.version + 1);
        }
    }
}
