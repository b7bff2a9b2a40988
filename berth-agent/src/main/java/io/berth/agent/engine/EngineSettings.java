package io.berth.agent.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How the task engine behaves on this host.
 *
 * @param hostAddress the address container ports are published on (bridge mode)
 * @param pullBehavior when images are pulled
 * @param allowPrivileged whether {@code privileged} containers may run; if not, such tasks fail to start
 * @param stopTimeout grace between SIGTERM and SIGKILL when a container has no {@code stopTimeout}
 *     (the ECS agent's {@code ECS_CONTAINER_STOP_TIMEOUT}, 30 s)
 * @param cleanupDelay how long the containers of a STOPPED task stay on the host (the ECS agent's
 *     {@code ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION}; 10 minutes)
 * @param relistInterval how often all containers are listed, to catch what events missed
 * @param tick how often the engine loop wakes when nothing happens (time-driven decisions: cleanup, retries)
 * @param pullTimeout the longest one image pull may take
 * @param callTimeout the longest any other engine call may take (a stop: its grace plus this)
 * @param retryDelay the first delay before an engine call that failed transiently (engine down, timeout)
 *     is tried again; it doubles with each attempt
 * @param maxAttempts attempts of a transiently failing pull, create or start before the container fails
 */
public record EngineSettings(String hostAddress, PullBehavior pullBehavior, boolean allowPrivileged,
                             Duration stopTimeout, Duration cleanupDelay, Duration relistInterval, Duration tick,
                             Duration pullTimeout, Duration callTimeout, Duration retryDelay, int maxAttempts) {
    public EngineSettings {
        Objects.requireNonNull(hostAddress);
        Objects.requireNonNull(pullBehavior);
        positive(stopTimeout, "stopTimeout", true);
        positive(cleanupDelay, "cleanupDelay", true);
        positive(relistInterval, "relistInterval", false);
        positive(tick, "tick", false);
        positive(pullTimeout, "pullTimeout", false);
        positive(callTimeout, "callTimeout", false);
        positive(retryDelay, "retryDelay", true);
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
    }

    /** The ECS agent's defaults, publishing on 127.0.0.1. */
    public static EngineSettings defaults() {
        return new EngineSettings("127.0.0.1", PullBehavior.DEFAULT, false, Duration.ofSeconds(30),
                Duration.ofMinutes(10), Duration.ofSeconds(5), Duration.ofMillis(250), Duration.ofMinutes(10),
                Duration.ofMinutes(2), Duration.ofSeconds(1), 5);
    }

    public EngineSettings withHostAddress(String hostAddress) {
        return new EngineSettings(hostAddress, pullBehavior, allowPrivileged, stopTimeout, cleanupDelay,
                relistInterval, tick, pullTimeout, callTimeout, retryDelay, maxAttempts);
    }

    public EngineSettings withPullBehavior(PullBehavior pullBehavior) {
        return new EngineSettings(hostAddress, pullBehavior, allowPrivileged, stopTimeout, cleanupDelay,
                relistInterval, tick, pullTimeout, callTimeout, retryDelay, maxAttempts);
    }

    public EngineSettings withAllowPrivileged(boolean allowPrivileged) {
        return new EngineSettings(hostAddress, pullBehavior, allowPrivileged, stopTimeout, cleanupDelay,
                relistInterval, tick, pullTimeout, callTimeout, retryDelay, maxAttempts);
    }

    public EngineSettings withStopTimeout(Duration stopTimeout) {
        return new EngineSettings(hostAddress, pullBehavior, allowPrivileged, stopTimeout, cleanupDelay,
                relistInterval, tick, pullTimeout, callTimeout, retryDelay, maxAttempts);
    }

    public EngineSettings withCleanupDelay(Duration cleanupDelay) {
        return new EngineSettings(hostAddress, pullBehavior, allowPrivileged, stopTimeout, cleanupDelay,
                relistInterval, tick, pullTimeout, callTimeout, retryDelay, maxAttempts);
    }

    public EngineSettings withRelistInterval(Duration relistInterval) {
        return new EngineSettings(hostAddress, pullBehavior, allowPrivileged, stopTimeout, cleanupDelay,
                relistInterval, tick, pullTimeout, callTimeout, retryDelay, maxAttempts);
    }

    public EngineSettings withTick(Duration tick) {
        return new EngineSettings(hostAddress, pullBehavior, allowPrivileged, stopTimeout, cleanupDelay,
                relistInterval, tick, pullTimeout, callTimeout, retryDelay, maxAttempts);
    }

    public EngineSettings withRetries(Duration retryDelay, int maxAttempts) {
        return new EngineSettings(hostAddress, pullBehavior, allowPrivileged, stopTimeout, cleanupDelay,
                relistInterval, tick, pullTimeout, callTimeout, retryDelay, maxAttempts);
    }

    /** The delay before attempt {@code attempt + 1} of a transiently failing call: retryDelay × 2^(attempt-1), ≤ 1 min. */
    public Duration retryAfter(int attempt) {
        Duration d = retryDelay.multipliedBy(1L << Math.min(Math.max(attempt - 1, 0), 16));
        return d.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : d;
    }

    private static void positive(Duration d, String name, boolean zeroAllowed) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || (!zeroAllowed && d.isZero())) {
            throw new IllegalArgumentException(name + " must be " + (zeroAllowed ? "≥ 0" : "> 0") + ": " + d);
        }
    }
}
