package io.berth.core.metrics;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Berth's own operational meters (request rates and latencies, store commits, loop timings, bytes
 * moved), recorded by every module through this narrow port so that no module but the launcher knows
 * the metrics library or the exposition format. The adapter (Micrometer with a Prometheus registry,
 * in berth-server) serves them on {@code GET /metrics}.
 *
 * <p>Names are dotted and lower case ({@code berth.store.commit}); the adapter renders them in its
 * format ({@code berth_store_commit_seconds}). Tags are given as key, value pairs; the set of keys of a
 * name must not change between calls, and values must come from a small set (an operation name, a
 * status code: never an ARN or an id). Thread-safe; every method is cheap and never throws.
 */
public interface Metrics {

    /** Records one duration of the timer {@code name}. */
    void time(String name, Duration duration, String... tags);

    /** Adds {@code amount} (not negative) to the counter {@code name}. */
    void count(String name, double amount, String... tags);

    /**
     * Registers a gauge read from {@code value} whenever the meters are read. Registering the same
     * name and tags again replaces nothing: the first registration stays (keep the supplier's owner
     * alive as long as the gauge should exist).
     */
    void gauge(String name, Supplier<? extends Number> value, String... tags);

    /** Records nothing: for tests and for code run without a server. */
    Metrics NONE = new Metrics() {
        @Override
        public void time(String name, Duration duration, String... tags) {
        }

        @Override
        public void count(String name, double amount, String... tags) {
        }

        @Override
        public void gauge(String name, Supplier<? extends Number> value, String... tags) {
        }
    };
}
