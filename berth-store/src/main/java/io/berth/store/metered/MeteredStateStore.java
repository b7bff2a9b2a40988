package io.berth.store.metered;

import io.berth.core.metrics.Metrics;
import io.berth.core.store.ConflictException;
import io.berth.core.store.ForwardingStateStore;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.StoreUnavailableException;
import java.time.Duration;
import java.util.List;

/**
 * Any {@link StateStore} with its commits timed: {@code berth.store.commit} (tag outcome = ok,
 * conflict, unavailable, error), the latency a committer sees, queueing in the group commit and the
 * fsync included. Reads are not timed (they are in-memory and far below a timer's cost). Thread-safe
 * as the store it wraps; closing it closes that store.
 */
public final class MeteredStateStore extends ForwardingStateStore {
    private final Metrics metrics;

    public MeteredStateStore(StateStore store, Metrics metrics) {
        super(store);
        this.metrics = metrics;
    }

    @Override
    public List<Long> commit(List<Mutation> mutations, Duration timeout) {
        return submit(mutations, timeout).await();
    }

    /** Submits through to the store (so pipelining still works), timing submission to outcome. */
    @Override
    public Pending submit(List<Mutation> mutations, Duration timeout) {
        long start = System.nanoTime();
        Pending pending;
        try {
            pending = delegate.submit(mutations, timeout);
        } catch (RuntimeException e) {
            record(start, e);
            throw e;
        }
        return () -> {
            try {
                List<Long> versions = pending.await();
                metrics.time("berth.store.commit", Duration.ofNanos(System.nanoTime() - start), "outcome", "ok");
                return versions;
            } catch (RuntimeException e) {
                record(start, e);
                throw e;
            }
        };
    }

    private void record(long start, RuntimeException e) {
        String outcome = e instanceof ConflictException ? "conflict"
                : e instanceof StoreUnavailableException ? "unavailable" : "error";
        metrics.time("berth.store.commit", Duration.ofNanos(System.nanoTime() - start), "outcome", outcome);
    }
}
