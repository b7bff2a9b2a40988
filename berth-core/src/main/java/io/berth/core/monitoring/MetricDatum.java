package io.berth.core.monitoring;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One CloudWatch-style data point: a statistic set of a metric (name and dimensions) at a time. A
 * single value v is {@code (1, v, v, v)} ({@link #of}).
 *
 * @param name the metric name, e.g. CPUUtilization
 * @param dimensions dimension names to values (kept sorted by name: a metric's identity)
 * @param timestamp when the values were observed
 * @param sampleCount how many values the set stands for (positive)
 * @param sum their sum: Average = sum / sampleCount
 * @param minimum the least of them
 * @param maximum the greatest of them
 * @param unit a CloudWatch unit (Percent, Bytes, Count, None, ...)
 */
public record MetricDatum(String name, Map<String, String> dimensions, Instant timestamp, double sampleCount,
                          double sum, double minimum, double maximum, String unit) {
    public MetricDatum {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timestamp, "timestamp");
        dimensions = dimensions == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(dimensions));
        unit = unit == null ? "None" : unit;
        if (!(sampleCount > 0) || !Double.isFinite(sum) || !Double.isFinite(minimum) || !Double.isFinite(maximum)
                || minimum > maximum) {
            throw new IllegalArgumentException("not a statistic set: " + sampleCount + ", " + sum + ", " + minimum
                    + ", " + maximum);
        }
    }

    /** A single value. */
    public static MetricDatum of(String name, Map<String, String> dimensions, Instant timestamp, double value,
                                 String unit) {
        return new MetricDatum(name, dimensions, timestamp, 1, value, value, value, unit);
    }

    public double average() {
        return sum / sampleCount;
    }
}
