package io.berth.store.metered;

import io.berth.core.metrics.Metrics;
import io.berth.core.store.Change;
import io.berth.core.store.ConflictException;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.StoreUnavailableException;
import io.berth.core.store.Versioned;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Any {@link StateStore} with its commits timed: {@code berth.store.commit} (tag outcome = ok,
 * conflict, unavailable, error), the latency a committer sees, queueing in the group commit and the
 * fsync included. Reads are not timed (they are in-memory and far below a timer's cost). Thread-safe
 * as the store it wraps; closing it closes that store.
 */
public final class MeteredStateStore implements StateStore {
    private final StateStore store;
    private final Metrics metrics;

    public MeteredStateStore(StateStore store, Metrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    @Override
    public List<Long> commit(List<Mutation> mutations, Duration timeout) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            List<Long> versions = store.commit(mutations, timeout);
            outcome = "ok";
            return versions;
        } catch (ConflictException e) {
            outcome = "conflict";
            throw e;
        } catch (StoreUnavailableException e) {
            outcome = "unavailable";
            throw e;
        } finally {
            metrics.time("berth.store.commit", Duration.ofNanos(System.nanoTime() - start), "outcome", outcome);
        }
    }

    @Override
    public Optional<Versioned> get(String kind, String key) {
        return store.get(kind, key);
    }

    @Override
    public List<Versioned> scan(String kind, String prefix, String afterKey, int limit) {
        return store.scan(kind, prefix, afterKey, limit);
    }

    @Override
    public int count(String kind, String prefix) {
        return store.count(kind, prefix);
    }

    @Override
    public long lastSequence() {
        return store.lastSequence();
    }

    @Override
    public List<Change> changesSince(long afterSequence, int limit) {
        return store.changesSince(afterSequence, limit);
    }

    @Override
    public AutoCloseable subscribe(long afterSequence, Consumer<Change> listener) {
        return store.subscribe(afterSequence, listener);
    }

    @Override
    public void wipe(Duration timeout) {
        store.wipe(timeout);
    }

    @Override
    public void close() {
        store.close();
    }
}
