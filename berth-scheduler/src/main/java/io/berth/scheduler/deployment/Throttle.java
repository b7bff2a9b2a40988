package io.berth.scheduler.deployment;

import java.time.Duration;
import java.time.Instant;

/**
 * ECS's throttling of a service whose tasks keep failing to start: after {@value #FREE_FAILURES}
 * consecutive failures each launch waits longer (10 s, doubling, at most 27 minutes) until a task
 * comes up healthy again.
 *
 * @param consecutiveFailures failed tasks since the last task that came up healthy
 * @param lastFailureAt when the latest of them was seen, null when there was none
 */
public record Throttle(int consecutiveFailures, Instant lastFailureAt) {
    public static final Throttle NONE = new Throttle(0, null);
    static final int FREE_FAILURES = 3;
    static final Duration FIRST_DELAY = Duration.ofSeconds(10);
    static final Duration MAX_DELAY = Duration.ofMinutes(27);

    public Throttle {
        if (consecutiveFailures < 0) {
            throw new IllegalArgumentException("consecutiveFailures must not be negative");
        }
    }

    /** Whether ECS would call this service's launches impaired ("unable to consistently start tasks"). */
    public boolean impaired() {
        return consecutiveFailures >= FREE_FAILURES;
    }

    /** The earliest time a launch may happen. */
    public Instant nextLaunchAt() {
        if (!impaired() || lastFailureAt == null) {
            return Instant.MIN;
        }
        int doublings = Math.min(consecutiveFailures - FREE_FAILURES, 16);
        Duration delay = FIRST_DELAY.multipliedBy(1L << doublings);
        return lastFailureAt.plus(delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay);
    }

    Throttle failed(Instant at) {
        Instant latest = lastFailureAt == null || at.isAfter(lastFailureAt) ? at : lastFailureAt;
        return new Throttle(consecutiveFailures + 1, latest);
    }
}
