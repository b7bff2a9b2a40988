package io.berth.cloudwatch.metric;

import java.time.Instant;
import java.util.Objects;

/**
 * A statistic set at one timestamp: what CloudWatch keeps of the values put at that time (a single
 * value v is {@code (1, v, v, v)}). Points of one timestamp merge.
 */
public record Point(Instant timestamp, double sampleCount, double sum, double minimum, double maximum, String unit) {
    public Point {
        Objects.requireNonNull(timestamp, "timestamp");
        unit = unit == null ? "None" : unit;
    }

    public static Point of(Instant timestamp, double value, String unit) {
        return new Point(timestamp, 1, value, value, value, unit);
    }

    /** This and {@code other} as one statistic set (this point's timestamp and unit). */
    public Point merge(Point other) {
        return new Point(timestamp, sampleCount + other.sampleCount, sum + other.sum,
                Math.min(minimum, other.minimum), Math.max(maximum, other.maximum), unit);
    }

    public double average() {
        return sampleCount == 0 ? 0 : sum / sampleCount;
    }

    /** The named statistic: SampleCount, Average, Sum, Minimum or Maximum. */
    public double statistic(String name) {
        return switch (name) {
            case "SampleCount" -> sampleCount;
            case "Average" -> average();
            case "Sum" -> sum;
            case "Minimum" -> minimum;
            case "Maximum" -> maximum;
            default -> throw new IllegalArgumentException("unknown statistic " + name);
        };
    }
}
