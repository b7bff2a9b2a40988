package io.berth.core.monitoring;

import java.util.List;

/**
 * Where data points for CloudWatch metrics go: the port through which a service publishes metrics in
 * an {@code AWS/...} namespace as AWS does (ECS: {@code AWS/ECS} CPUUtilization and
 * MemoryUtilization). The adapter is Berth's CloudWatch metric store. Thread-safe; never blocks on I/O.
 */
public interface MetricSink {

    /** Records {@code data} under {@code namespace}. */
    void put(String namespace, List<MetricDatum> data);

    /** Drops everything. */
    MetricSink NONE = (namespace, data) -> { };
}
