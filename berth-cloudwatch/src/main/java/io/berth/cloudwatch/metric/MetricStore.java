package io.berth.cloudwatch.metric;

import io.berth.core.monitoring.MetricDatum;
import io.berth.core.monitoring.MetricSink;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Berth's CloudWatch metric data, in memory and bounded: each metric keeps its points by timestamp
 * (points of one timestamp merge into a statistic set) for {@code retention} (15 days, as AWS keeps
 * 1-minute data) and at most {@code maxPointsPerMetric} points, the oldest going first; at most
 * {@code maxMetrics} metrics exist, a put to a new one beyond that is dropped. Data does not survive a
 * restart of the server. Thread-safe.
 */
public final class MetricStore implements MetricSink {
    public static final Duration RETENTION = Duration.ofDays(15);

    private final InstantSource clock;
    private final Duration retention;
    private final int maxMetrics;
    private final int maxPointsPerMetric;
    private final Map<MetricId, Series> metrics = new ConcurrentHashMap<>();

    private static final class Series {
        final NavigableMap<Instant, Point> points = new TreeMap<>();
        Instant lastPut = Instant.EPOCH;
    }

    public MetricStore(InstantSource clock, Duration retention, int maxMetrics, int maxPointsPerMetric) {
        this.clock = clock;
        this.retention = retention;
        this.maxMetrics = maxMetrics;
        this.maxPointsPerMetric = maxPointsPerMetric;
    }

    /** 15 days, 10 000 metrics, 100 000 points each. */
    public static MetricStore withDefaults(InstantSource clock) {
        return new MetricStore(clock, RETENTION, 10_000, 100_000);
    }

    @Override
    public void put(String namespace, List<MetricDatum> data) {
        for (MetricDatum d : data) {
            put(new MetricId(namespace, d.name(), d.dimensions()), new Point(d.timestamp(), d.sampleCount(), d.sum(),
                    d.minimum(), d.maximum(), d.unit()));
        }
    }

    /** Adds a point (merging with one of the same timestamp); false when the store is full or it is too old. */
    public boolean put(MetricId id, Point point) {
        Instant now = clock.instant();
        Instant cutoff = now.minus(retention);
        if (point.timestamp().isBefore(cutoff)) {
            return false;
        }
        if (!metrics.containsKey(id) && metrics.size() >= maxMetrics) {
            return false;
        }
        Series series = metrics.computeIfAbsent(id, k -> new Series());
        synchronized (series) {
            series.points.merge(point.timestamp(), point, Point::merge);
            series.points.headMap(cutoff, false).clear();
            while (series.points.size() > maxPointsPerMetric) {
                series.points.pollFirstEntry();
            }
            series.lastPut = now;
        }
        return true;
    }

    /** The points of a metric in {@code [from, to)}, in time order. */
    public List<Point> points(MetricId id, Instant from, Instant to) {
        Series series = metrics.get(id);
        if (series == null || !from.isBefore(to)) {
            return List.of();
        }
        synchronized (series) {
            return List.copyOf(series.points.subMap(from, true, to, false).values());
        }
    }

    /**
     * The metrics that match, sorted (namespace, name, dimensions); {@code activeSince} (nullable)
     * keeps only those put to since then.
     */
    public List<MetricId> list(Predicate<MetricId> filter, Instant activeSince) {
        List<MetricId> out = new ArrayList<>();
        metrics.forEach((id, series) -> {
            Instant last;
            synchronized (series) {
                last = series.lastPut;
            }
            if (filter.test(id) && (activeSince == null || !last.isBefore(activeSince))) {
                out.add(id);
            }
        });
        out.sort(Comparator.comparing(MetricId::namespace).thenComparing(MetricId::name)
                .thenComparing(id -> id.dimensions().toString()));
        return out;
    }

    /** When a metric was last put to. */
    public Optional<Instant> lastPut(MetricId id) {
        Series series = metrics.get(id);
        if (series == null) {
            return Optional.empty();
        }
        synchronized (series) {
            return Optional.of(series.lastPut);
        }
    }
}
