package io.berth.agent.engine;

import io.berth.agent.engine.TaskSpec.ContainerPlan;
import io.berth.core.runtime.ContainerState.PortBinding;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the engine knows of one container of a task: immutable; the engine loop replaces it.
 *
 * @param plan what to run; null for a container adopted from a task the server no longer lists
 * @param busy an engine call for this container is in flight (nothing else is started for it)
 * @param attempts transient failures of the current step so far
 * @param retryAt when the step that failed transiently may be tried again, or null
 * @param runtimeId the engine's container id once created (or adopted)
 * @param hostName the container's name on the host
 * @param everStarted the container has run (a START dependency is met even after it exits)
 * @param reason why it stopped, when not a plain exit: "CannotPullContainerError: ...", ...
 * @param failedToStart it stopped without having run (pull, create or start failed, dependency never met)
 * @param engineHealth the engine's health status: none, starting, healthy, unhealthy
 * @param ports the published ports as bound (kept after the container stops, as ECS shows them)
 */
public record ContainerRecord(String name, ContainerPlan plan, boolean essential, Duration stopTimeout,
                              ContainerPhase phase, boolean busy, int attempts, Instant retryAt,
                              String runtimeId, String hostName, String imageDigest, boolean everStarted,
                              Integer exitCode, String reason, boolean failedToStart, String engineHealth,
                              List<PortBinding> ports, Instant startedAt, Instant finishedAt) {
    public ContainerRecord {
        Objects.requireNonNull(name);
        Objects.requireNonNull(phase);
        Objects.requireNonNull(stopTimeout);
        ports = ports == null ? List.of() : List.copyOf(ports);
        engineHealth = engineHealth == null ? "none" : engineHealth;
    }

    /** A container of a new task: nothing done yet. */
    public static ContainerRecord of(ContainerPlan plan) {
        return new ContainerRecord(plan.name(), plan, plan.essential(), plan.stopTimeout(), ContainerPhase.NONE,
                false, 0, null, null, null, null, false, null, null, false, "none", List.of(), null, null);
    }

    /** Whether the step that failed transiently may be tried again at {@code now}. */
    public boolean due(Instant now) {
        return retryAt == null || !now.isBefore(retryAt);
    }

    public boolean stopped() {
        return phase == ContainerPhase.STOPPED;
    }

    /** ECS's container healthStatus: UNKNOWN without a health check in the task definition. */
    public String health() {
        if (plan == null || !plan.hasHealthCheck()) {
            return "UNKNOWN";
        }
        return switch (engineHealth) {
            case "healthy" -> "HEALTHY";
            case "unhealthy" -> "UNHEALTHY";
            default -> "UNKNOWN";
        };
    }

    public Copy copy() {
        return new Copy(this);
    }

    /** A mutable copy, to change a few fields and {@link #build()} a new record. */
    public static final class Copy {
        private final ContainerRecord from;
        ContainerPhase phase;
        boolean busy;
        int attempts;
        Instant retryAt;
        String runtimeId;
        String hostName;
        String imageDigest;
        boolean everStarted;
        Integer exitCode;
        String reason;
        boolean failedToStart;
        String engineHealth;
        List<PortBinding> ports;
        Instant startedAt;
        Instant finishedAt;

        private Copy(ContainerRecord r) {
            from = r;
            phase = r.phase;
            busy = r.busy;
            attempts = r.attempts;
            retryAt = r.retryAt;
            runtimeId = r.runtimeId;
            hostName = r.hostName;
            imageDigest = r.imageDigest;
            everStarted = r.everStarted;
            exitCode = r.exitCode;
            reason = r.reason;
            failedToStart = r.failedToStart;
            engineHealth = r.engineHealth;
            ports = r.ports;
            startedAt = r.startedAt;
            finishedAt = r.finishedAt;
        }

        public Copy phase(ContainerPhase phase) {
            this.phase = phase;
            return this;
        }

        public Copy busy(boolean busy) {
            this.busy = busy;
            return this;
        }

        /** The step succeeded: no retry pending. */
        public Copy settled() {
            this.busy = false;
            this.attempts = 0;
            this.retryAt = null;
            return this;
        }

        public Copy retry(int attempts, Instant retryAt) {
            this.busy = false;
            this.attempts = attempts;
            this.retryAt = retryAt;
            return this;
        }

        public Copy runtime(String runtimeId, String hostName) {
            this.runtimeId = runtimeId;
            this.hostName = hostName;
            return this;
        }

        public Copy imageDigest(String imageDigest) {
            this.imageDigest = imageDigest;
            return this;
        }

        public Copy started(Instant startedAt) {
            this.everStarted = true;
            if (startedAt != null) {
                this.startedAt = startedAt;
            }
            return this;
        }

        public Copy exited(Integer exitCode, Instant finishedAt) {
            this.phase = ContainerPhase.STOPPED;
            if (exitCode != null) {
                this.exitCode = exitCode;
            }
            if (finishedAt != null) {
                this.finishedAt = finishedAt;
            }
            return this;
        }

        /** Stopped without having run, for {@code reason}. */
        public Copy failed(String reason) {
            this.phase = ContainerPhase.STOPPED;
            this.reason = reason;
            this.failedToStart = !everStarted;
            return this;
        }

        public Copy reason(String reason) {
            this.reason = reason;
            return this;
        }

        public Copy engineHealth(String engineHealth) {
            this.engineHealth = engineHealth;
            return this;
        }

        public Copy ports(List<PortBinding> ports) {
            this.ports = ports;
            return this;
        }

        public ContainerRecord build() {
            return new ContainerRecord(from.name, from.plan, from.essential, from.stopTimeout, phase, busy, attempts,
                    retryAt, runtimeId, hostName, imageDigest, everStarted, exitCode, reason, failedToStart,
                    engineHealth, ports, startedAt, finishedAt);
        }
    }
}
