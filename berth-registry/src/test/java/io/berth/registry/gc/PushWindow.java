package io.berth.registry.gc;

import io.berth.registry.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Moves a manual clock as fast as the garbage collector's design allows beside pushes in flight:
 * "a push ... commits its image within the grace period" of its first upload or touch, so the clock
 * never reaches a grace period past the start of a push still open. Thread-safe.
 */
final class PushWindow {
    private final ManualClock clock;
    private final Duration grace;
    private final Map<Long, Instant> open = new HashMap<>();
    private long next;

    PushWindow(ManualClock clock, Duration grace) {
        this.clock = clock;
        this.grace = grace;
    }

    /** A push starts now (before it uploads or touches anything); returns its ticket for {@link #close}. */
    synchronized long open() {
        open.put(++next, clock.instant());
        return next;
    }

    synchronized void close(long ticket) {
        open.remove(ticket);
    }

    /** Advances the clock by {@code step}, unless that would take an open push past the grace period. */
    synchronized boolean advance(Duration step) {
        Instant then = clock.instant().plus(step);
        if (open.values().stream().anyMatch(started -> !then.isBefore(started.plus(grace)))) {
            return false;
        }
        clock.advance(step);
        return true;
    }
}
