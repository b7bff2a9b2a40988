package io.berth.logs.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.BerthException;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class BatchRulesTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;

    private static List<InputEvent> at(long... timestamps) {
        return LongStream.of(timestamps).mapToObj(t -> new InputEvent(t, "m")).toList();
    }

    @Test
    void aBatchWithinTheRulesIsStoredWhole() {
        BatchRules.Verdict v = BatchRules.check(at(NOW - HOUR, NOW, NOW + HOUR), NOW, Long.MIN_VALUE);
        assertThat(v).isEqualTo(new BatchRules.Verdict(0, 3, null, null, null));
        assertThat(v.rejectedAny()).isFalse();
    }

    @Test
    void tooOldExpiredAndTooNewEventsAreCutOffAtTheEnds() {
        BatchRules.Verdict v = BatchRules.check(at(NOW - 15 * DAY, NOW - 5 * DAY, NOW, NOW + 3 * HOUR, NOW + 4 * HOUR),
                NOW, NOW - 3 * DAY);
        assertThat(v).isEqualTo(new BatchRules.Verdict(2, 3, 0, 1, 3));
    }

    @Test
    void everythingRejectedLeavesAnEmptyRange() {
        BatchRules.Verdict v = BatchRules.check(at(NOW - 20 * DAY, NOW + 5 * HOUR), NOW, Long.MIN_VALUE);
        assertThat(v.to() - v.from()).isZero();
    }

    @Test
    void outOfOrderOrTooLongOrTooLargeBatchesAreRefused() {
        assertThatThrownBy(() -> BatchRules.check(at(NOW, NOW - 1), NOW, Long.MIN_VALUE))
                .isInstanceOf(BerthException.class).hasMessageContaining("chronological order");
        assertThatThrownBy(() -> BatchRules.check(at(NOW - 25 * HOUR, NOW), NOW, Long.MIN_VALUE))
                .isInstanceOf(BerthException.class).hasMessageContaining("24 hours");
        // the span counts accepted events only
        assertThat(BatchRules.check(at(NOW - 20 * DAY, NOW - 23 * HOUR, NOW), NOW, Long.MIN_VALUE).from()).isEqualTo(1);
        List<InputEvent> big = List.of(new InputEvent(NOW, "x".repeat(1_048_576 - 26)));
        assertThat(BatchRules.check(big, NOW, Long.MIN_VALUE).to()).isEqualTo(1);
        List<InputEvent> tooBig = List.of(new InputEvent(NOW, "x".repeat(1_048_576 - 25)));
        assertThatThrownBy(() -> BatchRules.check(tooBig, NOW, Long.MIN_VALUE))
                .hasMessage("Upload too large: 1048577 bytes exceeds limit of 1048576");
    }

    @Test
    void eventSizeCountsUtf8BytesPlus26() {
        assertThat(new InputEvent(0, "é€😀").size()).isEqualTo(2 + 3 + 4 + 26);
    }
}
