package io.berth.registry.gc;

import io.berth.core.store.ForwardingStateStore;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * A state store that runs a hook, once, just before the first commit holding a put that {@code when}
 * accepts: a test's way to run something (a garbage collection) at an exact point inside another
 * operation (a push), on the same thread. Delegates everything else.
 */
final class HookedStateStore extends ForwardingStateStore {
    private Predicate<Mutation.Put> when = put -> false;
    private Runnable hook = () -> { };

    HookedStateStore(StateStore delegate) {
        super(delegate);
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
}
