package io.berth.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostPortRangesTest {
    private final ManualClock clock = new ManualClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    private final Set<Integer> busy = new HashSet<>();
    private final HostPortRanges ranges = new HostPortRanges((address, port, protocol) -> !busy.contains(port), clock);

    @Test
    void skipsPortsThatDoNotBind() {
        busy.add(HostPortRanges.FIRST + 2);

        assertThat(ranges.reserve("127.0.0.1", 3, "tcp")).hasValue(HostPortRanges.FIRST + 3);
    }

    @Test
    void neverHandsOutAPortTwiceWithinAMinuteThenDoesAgain() {
        int a = ranges.reserve("127.0.0.1", 10, "tcp").getAsInt();
        int b = ranges.reserve("127.0.0.1", 10, "tcp").getAsInt();
        assertThat(b).isGreaterThanOrEqualTo(a + 10);

        clock.advance(Duration.ofMinutes(2));
        // the cursor moves on; after wrapping the first ports are free again
        int c = ranges.reserve("127.0.0.1", HostPortRanges.LAST - b - 9, "tcp").getAsInt();
        assertThat(c).isEqualTo(b + 10);
        assertThat(ranges.reserve("127.0.0.1", 10, "tcp")).hasValue(HostPortRanges.FIRST);
    }

    @Test
    void saysSoWhenNoRangeIsFree() {
        for (int p = HostPortRanges.FIRST; p <= HostPortRanges.LAST; p += 2) {
            busy.add(p);
        }

        assertThat(ranges.reserve("127.0.0.1", 2, "tcp")).isEmpty();
        assertThat(ranges.reserve("127.0.0.1", 1, "tcp")).hasValue(HostPortRanges.FIRST + 1);
    }
}
