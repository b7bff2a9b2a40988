package io.berth.cloudwatch.metric;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** A metric's identity: namespace, name and the exact set of dimensions (sorted by name). */
public record MetricId(String namespace, String name, Map<String, String> dimensions) {
    public MetricId {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        dimensions = dimensions == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(dimensions));
    }
}
