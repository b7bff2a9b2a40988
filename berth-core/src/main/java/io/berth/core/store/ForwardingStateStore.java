package io.berth.core.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link StateStore} that hands every call to another: the base of wrappers that change one or
 * two calls (timing commits, test hooks). {@link #submit} is the interface's default, which commits
 * through {@link #commit}, so a wrapper that overrides only {@code commit} sees every write; one that
 * keeps the wrapped store's pipelining overrides {@code submit} too. Closing it closes the wrapped
 * store.
 */
public abstract class ForwardingStateStore implements StateStore {
    protected final StateStore delegate;

    protected ForwardingStateStore(StateStore delegate) {
        this.delegate = delegate;
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
    public List<Long> commit(List<Mutation> mutations, Duration timeout) {
        return delegate.commit(mutations, timeout);
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
