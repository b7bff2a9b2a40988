package io.berth.logs.event;

import io.berth.core.error.BerthException;
import java.util.List;

/**
 * PutLogEvents' rules for a batch, as AWS states them: at most 1,048,576 bytes (UTF-8 messages + 26
 * bytes per event), events in chronological order, and the accepted events spanning at most 24 hours.
 * Events more than 14 days old, older than the group's retention, or more than 2 hours in the future
 * are not stored but reported in {@code rejectedLogEventsInfo} while the rest are. Pure.
 */
public final class BatchRules {
    public static final long MAX_BATCH_BYTES = 1_048_576;
    static final long DAY = 86_400_000L;
    static final long MAX_AGE = 14 * DAY;
    static final long MAX_AHEAD = 2 * 3_600_000L;
    static final long MAX_SPAN = DAY;

    private BatchRules() {
    }

    /**
     * What of a batch is stored: events [{@code from}, {@code to}). The other fields are
     * rejectedLogEventsInfo's (inclusive end indexes of the too-old and expired runs at the start, the
     * first index of the too-new run at the end), null when nothing was rejected for that reason.
     */
    public record Verdict(int from, int to, Integer tooOldEnd, Integer expiredEnd, Integer tooNewStart) {
        public boolean rejectedAny() {
            return tooOldEnd != null || expiredEnd != null || tooNewStart != null;
        }
    }

    /**
     * @param expiredBefore events older than this are expired by the group's retention
     *     ({@link Long#MIN_VALUE} without one)
     */
    public static Verdict check(List<InputEvent> events, long nowMillis, long expiredBefore) {
        long bytes = 0;
        for (InputEvent e : events) {
            bytes += e.size();
        }
        if (bytes > MAX_BATCH_BYTES) {
            throw BerthException.invalidParameter("Upload too large: " + bytes + " bytes exceeds limit of "
                    + MAX_BATCH_BYTES);
        }
        for (int i = 1; i < events.size(); i++) {
            if (events.get(i).timestamp() < events.get(i - 1).timestamp()) {
                throw BerthException.invalidParameter(
                        "Log events in a single PutLogEvents request must be in chronological order.");
            }
        }
        long tooOldBefore = nowMillis - MAX_AGE;
        long tooNewAfter = nowMillis + MAX_AHEAD;
        Integer tooOldEnd = null;
        Integer expiredEnd = null;
        Integer tooNewStart = null;
        int from = 0;
        int to = events.size();
        for (int i = 0; i < events.size(); i++) {
            long ts = events.get(i).timestamp();
            boolean tooOld = ts < tooOldBefore;
            boolean expired = ts < expiredBefore;
            if (tooOld) {
                tooOldEnd = i;
            }
            if (expired) {
                expiredEnd = i;
            }
            if (tooOld || expired) {
                from = i + 1;
            }
            if (ts > tooNewAfter && tooNewStart == null) {
                tooNewStart = i;
                to = i;
            }
        }
        if (from > to) {
            from = to;
        }
        if (to - from > 1 && events.get(to - 1).timestamp() - events.get(from).timestamp() > MAX_SPAN) {
            throw BerthException.invalidParameter(
                    "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
        }
        return new Verdict(from, to, tooOldEnd, expiredEnd, tooNewStart);
    }
}
