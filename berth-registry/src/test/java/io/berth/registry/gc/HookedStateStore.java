package io.berth.registry.gc;

import io.berth.core.store.Change;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.Versioned;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A state store that runs a hook, once, just before the first commit holding a put that {@code when}
 * accepts: a test's way to run something (a garbage collection) at an exact point inside another
 * operation (a push), on the same thread. Delegates everything else.
 */
final class HookedStateStore implements StateStore {
    private final StateStore delegate;
    private Predicate<Mutation.Put> when = put -> false;
    private Runnable hook = () -> { };

    HookedStateStore(StateStore delegate) {
        this.delegate = delegate;
    }

    /** Runs {@code hook} before the next commit of a put that {@code when} accepts (once). */
    synchronized void beforeCommitOf(Predicate<Mutation.Put> when, Runnable hook) {
        this.when = when;
        this.hook = hook;
    }

    @Override
    public List<Long> commit(List<Mutation> mutations, Duration timeout) {
        Runnable due = null;
        synchronized (this) {
            if (mutations.stream().anyMatch(m -> m instanceof Mutation.Put put && when.test(put))) {
                due = hook;
                when = put -> false;
            }
        }
        if (due != null) {
            due.run();
        }
        return delegate.commit(mutations, timeout);
    }

    @Override
    public Optional<Versioned> get(String kind, String key) {
        return delegate.get(kind, key);
    }

    @Override
    public List<Versioned> scan(String kind, String prefix, String afterKey, int limit) {
        return delegate.scan(kind, prefix, afterKey, limit);
    }

    @Override
    public int count(String kind, String prefix) {
        return delegate.count(kind, prefix);
    }

    @Override
    public long lastSequence() {
        return delegate.lastSequence();
    }

    @Override
    public List<Change> changesSince(long afterSequence, int limit) {
        return delegate.changesSince(afterSequence, limit);
    }

    @Override
    public AutoCloseable subscribe(long afterSequence, Consumer<Change> listener) {
        return delegate.subscribe(afterSequence, listener);
    }

    @Override
    public void wipe(Duration timeout) {
        delegate.wipe(timeout);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
