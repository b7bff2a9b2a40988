package io.berth.lb.state;

import io.berth.core.store.ConflictException;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.Versioned;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Typed access to the load balancer's aggregates in the {@link StateStore}. Writers read, decide
 * and commit with the versions they read; {@link #retry} runs such a step again when another writer
 * won. Thread-safe.
 */
public final class LbState {
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
    private static final int RETRIES = 8;
    private final StateStore store;

    public LbState(StateStore store) {
        this.store = store;
    }

    public StateStore store() {
        return store;
    }

    /** A decoded aggregate with the version it was read at. */
    public record Read<T>(Versioned raw, T value) {
        public Mutation update(Object changed) {
            return Mutation.update(raw, LbJson.encode(changed));
        }

        public Mutation delete() {
            return Mutation.delete(raw);
        }
    }

    public <T> Optional<Read<T>> get(Kind<T> kind, String key) {
        return store.get(kind.name(), key).map(v -> new Read<>(v, LbJson.decode(v.value(), kind.type())));
    }

    public <T> Optional<T> value(Kind<T> kind, String key) {
        return get(kind, key).map(Read::value);
    }

    /** Every aggregate of {@code kind} whose key starts with {@code prefix}, in key order. */
    public <T> List<Read<T>> scan(Kind<T> kind, String prefix) {
        List<Read<T>> out = new ArrayList<>();
        String after = null;
        while (true) {
            List<Versioned> page = store.scan(kind.name(), prefix, after, 500);
            for (Versioned v : page) {
                out.add(new Read<>(v, LbJson.decode(v.value(), kind.type())));
            }
            if (page.size() < 500) {
                return out;
            }
            after = page.get(page.size() - 1).key();
        }
    }

    public <T> List<T> values(Kind<T> kind, String prefix) {
        return scan(kind, prefix).stream().map(Read::value).toList();
    }

    public static Mutation create(Kind<?> kind, String key, Object value) {
        return Mutation.create(kind.name(), key, LbJson.encode(value));
    }

    public static Mutation put(Kind<?> kind, String key, Object value) {
        return new Mutation.Put(kind.name(), key, Mutation.ANY, LbJson.encode(value));
    }

    public static Mutation remove(Kind<?> kind, String key) {
        return new Mutation.Delete(kind.name(), key, Mutation.ANY);
    }

    public void commit(List<Mutation> mutations) {
        if (!mutations.isEmpty()) {
            store.commit(mutations, COMMIT_TIMEOUT);
        }
    }

    /** Runs {@code step} (read, decide, commit) until it commits without a conflict, a few times at most. */
    public <R> R retry(Supplier<R> step) {
        for (int attempt = 0; ; attempt++) {
            try {
                return step.get();
            } catch (ConflictException e) {
                if (attempt >= RETRIES) {
                    throw e;
                }
            }
        }
    }
}
