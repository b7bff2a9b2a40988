package io.berth.core.monitoring;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One CloudWatch-style data point: a value of a metric (name and dimensions) at a time.
 *
 * @param name the metric name, e.g. CPUUtilization
 * @param dimensions dimension names to values (kept sorted by name: a metric's identity)
 * @param timestamp when the value was observed
 * @param value the value
 * @param unit a CloudWatch unit (Percent, Bytes, Count, None, ...)
 */
public record MetricDatum(String name, Map<String, String> dimensions, Instant timestamp, double value, String unit) {
    public MetricDatum {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timestamp, "timestamp");
        dimensions = dimensions == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(dimensions));
        unit = unit == null ? "None" : unit;
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("a metric value must be finite: " + value);
        }
    }
}
