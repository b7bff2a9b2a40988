package io.berth.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.runtime.LogLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CursorTest {
    private static final Instant T = Instant.parse("2025-03-04T05:06:07.000000001Z");

    private static LogLine line(long micros, boolean stderr, String text) {
        return new LogLine(T.plusNanos(micros * 1000), stderr, text, false);
    }

    /** The lines Docker gives when asked for those since {@code since}, in its (file) order. */
    private static List<LogLine> since(List<LogLine> file, Instant since) {
        return file.stream().filter(l -> since == null || !l.timestamp().isBefore(since)).toList();
    }

    private static List<LogLine> readAgain(List<LogLine> file, Cursor cursor) {
        Cursor.Resume resume = cursor.resume();
        List<LogLine> fresh = new ArrayList<>();
        for (LogLine l : since(file, cursor.since())) {
            if (!resume.taken(l)) {
                fresh.add(l);
            }
        }
        return fresh;
    }

    @Test
    void aLineThatCameLateOnTheOtherStreamIsNeitherLostNorRepeated() {
        // stderr's "two" reached the log before stdout's "one", although "one" is older
        List<LogLine> file = List.of(line(20, true, "two"), line(10, false, "one"), line(30, false, "three"));
        Cursor afterTwo = Cursor.START.after(file.get(0));
        assertThat(readAgain(file, afterTwo)).extracting(LogLine::text).containsExactly("one", "three");
        Cursor afterOne = afterTwo.after(file.get(1));
        assertThat(readAgain(file, afterOne)).extracting(LogLine::text).containsExactly("three");
    }

    @Test
    void identicalLinesAtTheSameInstantAreCounted() {
        List<LogLine> file = List.of(line(1, false, "same"), line(1, false, "same"), line(1, false, "same"));
        Cursor afterTwo = Cursor.START.after(file.get(0)).after(file.get(1));
        assertThat(readAgain(file, afterTwo)).hasSize(1);
    }

    static IntStream seeds() {
        return IntStream.range(0, 300);
    }

    /** Whatever the split point, reading again yields exactly the lines not taken, in order (seeded cases). */
    @ParameterizedTest
    @MethodSource("seeds")
    void resumingAnywhereYieldsTheRestExactly(int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int count = 1 + random.nextInt(200);
        int swapEvery = random.nextInt(51);
        List<LogLine> file = new ArrayList<>();
        long micros = 0;
        for (int i = 0; i < count; i++) {
            micros += random.nextInt(4) * 100L; // several lines may share a timestamp
            file.add(line(micros, i % 2 == 0, "line " + (i % 7)));
        }
        if (swapEvery > 0) { // neighbours out of timestamp order, as Docker's two streams may be
            for (int i = swapEvery; i < file.size(); i += swapEvery + 1) {
                LogLine a = file.get(i - 1);
                file.set(i - 1, file.get(i));
                file.set(i, a);
            }
        }
        int at = random.nextInt(file.size() + 1);
        Cursor c = Cursor.START;
        for (int i = 0; i < at; i++) {
            c = c.after(file.get(i));
        }
        assertThat(readAgain(file, c)).as("seed %d, split at %d of %d", seed, at, count)
                .isEqualTo(file.subList(at, file.size()));
    }
}
