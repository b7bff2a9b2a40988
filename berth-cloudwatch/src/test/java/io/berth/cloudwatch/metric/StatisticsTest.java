package io.berth.cloudwatch.metric;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatisticsTest {
    private static final Instant T = Instant.parse("2026-11-25T03:00:00Z");

    @Test
    void pointsFallIntoPeriodsFromTheStartRoundedDownToTheMinuteAndTheEndIsExclusive() {
        List<Point> points = List.of(
                Point.of(T.plusSeconds(1), 10, "Percent"),
                Point.of(T.plusSeconds(59), 30, "Percent"),
                Point.of(T.plusSeconds(60), 5, "Percent"),
                new Point(T.plusSeconds(61), 2, 6, 1, 5, "Percent"),
                Point.of(T.plusSeconds(180), 99, "Percent"));

        List<Point> periods = Statistics.aggregate(points, T.plusSeconds(34), T.plusSeconds(180),
                Duration.ofMinutes(1), null);

        assertThat(periods).hasSize(2);
        assertThat(periods.get(0)).isEqualTo(new Point(T, 2, 40, 10, 30, "Percent"));
        assertThat(periods.get(0).average()).isEqualTo(20);
        assertThat(periods.get(1)).isEqualTo(new Point(T.plusSeconds(60), 3, 11, 1, 5, "Percent"));
        assertThat(periods.get(1).statistic("Maximum")).isEqualTo(5);
    }

    @Test
    void highResolutionPeriodsAlignToTheSecondAndAUnitFilterDropsOtherUnits() {
        List<Point> points = List.of(Point.of(T.plusSeconds(12), 1, "Count"), Point.of(T.plusSeconds(14), 3, "Count"),
                Point.of(T.plusSeconds(13), 100, "Bytes"));

        List<Point> periods = Statistics.aggregate(points, T.plusSeconds(10), T.plusSeconds(20), Duration.ofSeconds(5),
                "Count");

        assertThat(periods).containsExactly(new Point(T.plusSeconds(10), 2, 4, 1, 3, "Count"));
    }

    @Test
    void periodsCountsWhatAQueryMayReturn() {
        assertThat(Statistics.periods(T, T.plus(Duration.ofDays(1)), Duration.ofMinutes(1))).isEqualTo(1440);
        assertThat(Statistics.periods(T.plusSeconds(30), T.plusSeconds(61), Duration.ofMinutes(1))).isEqualTo(2);
        assertThat(Statistics.periods(T, T, Duration.ofMinutes(1))).isZero();
    }
}
