package io.berth.agent.logs;

import io.berth.core.runtime.LogLine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Where reading a container's output got to, such that reading again from it neither skips nor
 * repeats a line, although Docker can only be asked for the lines since a timestamp and its order
 * (the order it wrote stdout and stderr to its log) is not quite timestamp order.
 *
 * <p>{@code latest} is the newest timestamp taken; {@code recent} holds a fingerprint (epoch nanos,
 * hash of stream and text) of each line taken with a timestamp from {@code floor} on, where floor is
 * {@link #WINDOW} before latest (later when more than {@link #MAX_RECENT} lines fall in the window).
 * Reading again asks for the lines since floor: a line is new when it is newer than latest, or within
 * [floor, latest] and not among the fingerprints (a line that came late on the other stream).
 *
 * @param latest null before the first line
 * @param floor lines older than this count as taken
 * @param recent pairs (epoch nanos, hash) of the lines taken at or after floor, oldest first
 */
public record Cursor(Instant latest, Instant floor, List<long[]> recent) {
    /** How far Docker's order may stray from timestamp order between stdout and stderr. */
    static final Duration WINDOW = Duration.ofMillis(200);
    static final int MAX_RECENT = 64;
    public static final Cursor START = new Cursor(null, null, List.of());

    public Cursor {
        recent = List.copyOf(recent);
    }

    /** The cursor after taking {@code line}. */
    public Cursor after(LogLine line) {
        long nanos = nanos(line.timestamp());
        Instant newest = latest == null || line.timestamp().isAfter(latest) ? line.timestamp() : latest;
        long lower = nanos(newest.minus(WINDOW));
        if (floor != null) {
            lower = Math.max(lower, nanos(floor));
        }
        List<long[]> kept = new ArrayList<>(Math.min(recent.size() + 1, MAX_RECENT));
        for (long[] r : recent) {
            if (r[0] >= lower) {
                kept.add(r);
            }
        }
        if (nanos >= lower) {
            kept.add(new long[] {nanos, hash(line)});
        }
        kept.sort((a, b) -> Long.compare(a[0], b[0]));
        while (kept.size() > MAX_RECENT) {
            lower = Math.max(lower, kept.remove(0)[0] + 1);
        }
        return new Cursor(newest, instant(lower), kept);
    }

    /** The timestamp to read again from (null: from the beginning). */
    public Instant since() {
        return floor;
    }

    /** A reader's view of this cursor while it reads again from {@link #since()}: which lines it took. */
    Resume resume() {
        return new Resume();
    }

    final class Resume {
        private final Map<Long, Map<Long, Integer>> left = new HashMap<>();

        private Resume() {
            for (long[] r : recent) {
                left.computeIfAbsent(r[0], k -> new HashMap<>()).merge(r[1], 1, Integer::sum);
            }
        }

        /** Whether {@code line} was taken before (each fingerprint answers yes once). */
        boolean taken(LogLine line) {
            if (latest == null || line.timestamp().isAfter(latest)) {
                return false;
            }
            if (line.timestamp().isBefore(floor)) {
                return true;
            }
            Map<Long, Integer> atTime = left.get(nanos(line.timestamp()));
            if (atTime == null) {
                return false;
            }
            Integer n = atTime.get(hash(line));
            if (n == null || n == 0) {
                return false;
            }
            atTime.put(hash(line), n - 1);
            return true;
        }
    }

    static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    static long hash(LogLine line) {
        CRC32 crc = new CRC32();
        crc.update(line.text().getBytes(StandardCharsets.UTF_8));
        return ((long) line.text().hashCode() << 32) ^ crc.getValue() ^ (line.stderr() ? 1L << 63 : 0);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Cursor c)) {
            return false;
        }
        if (!Objects.equals(latest, c.latest) || !Objects.equals(floor, c.floor)
                || recent.size() != c.recent.size()) {
            return false;
        }
        for (int i = 0; i < recent.size(); i++) {
            if (!Arrays.equals(recent.get(i), c.recent.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(latest, floor, recent.size());
    }
}
