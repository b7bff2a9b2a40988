package io.berth.agent.engine;

import io.berth.core.agent.DesiredTask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the engine knows of one task on this host: immutable; the engine loop replaces it.
 *
 * @param desired what the server last said of it; null for a task adopted from containers the
 *     server no longer lists (an orphan, which is only stopped and cleaned up)
 * @param spec what to run; null for an orphan
 * @param listed whether the server's latest desired state lists it
 * @param reported whether it is reported to the server (not for orphans)
 * @param stopRequested the server wants it stopped (desired STOPPED, or no longer listed)
 * @param stopCode the agent's own reason to stop it (TaskFailedToStart, EssentialContainerExited),
 *     or null: a task the server stopped keeps the server's stop code
 * @param containers in task-definition order
 * @param cleanupBusy the removal of its containers and task volumes is in flight
 * @param cleaned its containers and task volumes are removed
 */
public record TaskRecord(String taskArn, DesiredTask desired, TaskSpec spec, boolean listed, boolean reported,
                         boolean stopRequested, TaskPhase phase, String stopCode, String stoppedReason,
                         Instant pullStartedAt, Instant pullStoppedAt, Instant startedAt, Instant executionStoppedAt,
                         List<ContainerRecord> containers, boolean cleanupBusy, boolean cleaned,
                         int cleanupAttempts, Instant cleanupRetryAt) {
    public TaskRecord {
        Objects.requireNonNull(taskArn);
        Objects.requireNonNull(phase);
        containers = List.copyOf(containers);
    }

    /** A task the server just assigned: PENDING, nothing done. */
    public static TaskRecord of(DesiredTask desired, TaskSpec spec) {
        List<ContainerRecord> containers = spec.containers().stream().map(ContainerRecord::of).toList();
        return new TaskRecord(desired.taskArn(), desired, spec, true, true, desired.stopRequested(),
                TaskPhase.PENDING, null, null, null, null, null, null, containers, false, false, 0, null);
    }

    /** An agent-side stop is decided, or the server asked for one. */
    public boolean stopWanted() {
        return stopRequested || stopCode != null;
    }

    public boolean anyBusy() {
        return containers.stream().anyMatch(ContainerRecord::busy);
    }

    public Optional<ContainerRecord> container(String name) {
        return containers.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public Optional<ContainerRecord> byRuntimeId(String runtimeId) {
        return containers.stream().filter(c -> runtimeId.equals(c.runtimeId())).findFirst();
    }

    /** This task with {@code changed} in place of the container of the same name. */
    public TaskRecord with(ContainerRecord changed) {
        List<ContainerRecord> next = new ArrayList<>(containers.size());
        for (ContainerRecord c : containers) {
            next.add(c.name().equals(changed.name()) ? changed : c);
        }
        return copy().containers(next).build();
    }

    public Copy copy() {
        return new Copy(this);
    }

    /** A mutable copy, to change a few fields and {@link #build()} a new record. */
    public static final class Copy {
        private final TaskRecord from;
        DesiredTask desired;
        TaskSpec spec;
        boolean listed;
        boolean reported;
        boolean stopRequested;
        TaskPhase phase;
        String stopCode;
        String stoppedReason;
        Instant pullStartedAt;
        Instant pullStoppedAt;
        Instant startedAt;
        Instant executionStoppedAt;
        List<ContainerRecord> containers;
        boolean cleanupBusy;
        boolean cleaned;
        int cleanupAttempts;
        Instant cleanupRetryAt;

        private Copy(TaskRecord r) {
            from = r;
            desired = r.desired;
            spec = r.spec;
            listed = r.listed;
            reported = r.reported;
            stopRequested = r.stopRequested;
            phase = r.phase;
            stopCode = r.stopCode;
            stoppedReason = r.stoppedReason;
            pullStartedAt = r.pullStartedAt;
            pullStoppedAt = r.pullStoppedAt;
            startedAt = r.startedAt;
            executionStoppedAt = r.executionStoppedAt;
            containers = r.containers;
            cleanupBusy = r.cleanupBusy;
            cleaned = r.cleaned;
            cleanupAttempts = r.cleanupAttempts;
            cleanupRetryAt = r.cleanupRetryAt;
        }

        public Copy desired(DesiredTask desired) {
            this.desired = desired;
            return this;
        }

        public Copy listed(boolean listed) {
            this.listed = listed;
            return this;
        }

        public Copy reported(boolean reported) {
            this.reported = reported;
            return this;
        }

        public Copy stopRequested(boolean stopRequested) {
            this.stopRequested = stopRequested;
            return this;
        }

        public Copy phase(TaskPhase phase) {
            this.phase = phase;
            return this;
        }

        /** The agent decides to stop the task, for {@code stopCode} and {@code stoppedReason}. */
        public Copy stop(String stopCode, String stoppedReason) {
            this.stopCode = stopCode;
            this.stoppedReason = stoppedReason;
            return this;
        }

        public Copy pullStartedAt(Instant at) {
            this.pullStartedAt = at;
            return this;
        }

        public Copy pullStoppedAt(Instant at) {
            this.pullStoppedAt = at;
            return this;
        }

        public Copy startedAt(Instant at) {
            this.startedAt = at;
            return this;
        }

        public Copy executionStoppedAt(Instant at) {
            this.executionStoppedAt = at;
            return this;
        }

        public Copy containers(List<ContainerRecord> containers) {
            this.containers = containers;
            return this;
        }

        public Copy cleanupBusy(boolean cleanupBusy) {
            this.cleanupBusy = cleanupBusy;
            return this;
        }

        public Copy cleaned(boolean cleaned) {
            this.cleaned = cleaned;
            return this;
        }

        public Copy cleanupRetry(int attempts, Instant retryAt) {
            this.cleanupAttempts = attempts;
            this.cleanupRetryAt = retryAt;
            return this;
        }

        public TaskRecord build() {
            return new TaskRecord(from.taskArn, desired, spec, listed, reported, stopRequested, phase, stopCode,
                    stoppedReason, pullStartedAt, pullStoppedAt, startedAt, executionStoppedAt, containers, cleanupBusy,
                    cleaned, cleanupAttempts, cleanupRetryAt);
        }
    }
}
