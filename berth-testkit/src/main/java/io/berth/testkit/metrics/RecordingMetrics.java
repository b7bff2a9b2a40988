package io.berth.testkit.metrics;

import io.berth.core.metrics.Metrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A {@link Metrics} fake that keeps what it was given, for assertions: timer samples and counter
 * totals by {@link #key} (name and tags), and the registered gauges. Thread-safe.
 */
public final class RecordingMetrics implements Metrics {
    private final Map<String, List<Duration>> timers = new ConcurrentHashMap<>();
    private final Map<String, Double> counters = new ConcurrentHashMap<>();
    private final Map<String, Supplier<? extends Number>> gauges = new ConcurrentHashMap<>();

    /** {@code name{k=v,k=v}}, the tags in the order given; {@code name} alone without tags. */
    public static String key(String name, String... tags) {
        if (tags.length == 0) {
            return name;
        }
        StringBuilder b = new StringBuilder(name).append('{');
        for (int i = 0; i + 1 < tags.length; i += 2) {
            b.append(i == 0 ? "" : ",").append(tags[i]).append('=').append(tags[i + 1]);
        }
        return b.append('}').toString();
    }

    @Override
    public void time(String name, Duration duration, String... tags) {
        timers.computeIfAbsent(key(name, tags), k -> new CopyOnWriteArrayList<>()).add(duration);
    }

    @Override
    public void count(String name, double amount, String... tags) {
        counters.merge(key(name, tags), amount, Double::sum);
    }

    @Override
    public void gauge(String name, Supplier<? extends Number> value, String... tags) {
        gauges.putIfAbsent(key(name, tags), value);
    }

    /** The samples of a timer (empty if none). */
    public List<Duration> timer(String key) {
        return List.copyOf(timers.getOrDefault(key, List.of()));
    }

    /** Every timer key recorded so far. */
    public java.util.Set<String> timerKeys() {
        return java.util.Set.copyOf(timers.keySet());
    }

    /** A counter's total (0 if never counted). */
    public double counter(String key) {
        return counters.getOrDefault(key, 0.0);
    }

    /** A gauge's value now; null if no such gauge. */
    public Number gauge(String key) {
        Supplier<? extends Number> s = gauges.get(key);
        return s == null ? null : s.get();
    }
}
