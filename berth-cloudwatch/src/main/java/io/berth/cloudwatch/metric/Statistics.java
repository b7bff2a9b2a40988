package io.berth.cloudwatch.metric;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Aggregation of points into periods, as CloudWatch does (pure). The start is rounded down to the
 * whole minute for periods of a minute or more (to the whole second for high-resolution periods);
 * period k covers {@code [start + k·period, start + (k+1)·period)} and is labelled with its start;
 * the end is exclusive. Periods without points are absent.
 */
public final class Statistics {
    /** Statistics CloudWatch computes from statistic sets. */
    public static final List<String> NAMES = List.of("SampleCount", "Average", "Sum", "Minimum", "Maximum");

    private Statistics() {
    }

    /** Where the first period starts for a query from {@code start} with {@code period}. */
    public static Instant alignedStart(Instant start, Duration period) {
        return start.truncatedTo(period.toSeconds() >= 60 ? ChronoUnit.MINUTES : ChronoUnit.SECONDS);
    }

    /** How many periods {@code [start, end)} spans (the datapoints a query may return). */
    public static long periods(Instant start, Instant end, Duration period) {
        long seconds = Duration.between(alignedStart(start, period), end).toSeconds();
        return seconds <= 0 ? 0 : (seconds + period.toSeconds() - 1) / period.toSeconds();
    }

    /**
     * The aggregate of each period that has points, in time order; points of another unit than
     * {@code unit} are left out when a unit is given.
     */
    public static List<Point> aggregate(Collection<Point> points, Instant start, Instant end, Duration period,
                                        String unit) {
        Instant first = alignedStart(start, period);
        long step = period.toMillis();
        Map<Long, Point> buckets = new TreeMap<>();
        for (Point p : points) {
            if (p.timestamp().isBefore(first) || !p.timestamp().isBefore(end)
                    || (unit != null && !unit.equals(p.unit()))) {
                continue;
            }
            long k = Duration.between(first, p.timestamp()).toMillis() / step;
            Instant label = first.plusMillis(k * step);
            buckets.merge(k, new Point(label, p.sampleCount(), p.sum(), p.minimum(), p.maximum(), p.unit()),
                    Point::merge);
        }
        return new ArrayList<>(buckets.values());
    }
}
