package io.berth.core.store;

import java.util.Objects;

/**
 * One write inside a {@link StateStore#commit} transaction, with its optimistic-concurrency
 * expectation: {@link #ANY} (no check), {@link #ABSENT} (must not exist), or the exact version the
 * writer read. A {@link Delete} with {@link #ANY} of an absent key is a no-op and emits no change;
 * with an exact version or {@link #ABSENT} it is checked like a put.
 */
public sealed interface Mutation {
    long ANY = -1;
    long ABSENT = 0;

    String kind();

    String key();

    long expectedVersion();

    /**
     * Writes {@code value}. The store takes the array over as it is: it may keep it as the stored
     * value and hand that very array to readers (which lets a writer's caches recognise what it
     * wrote), so the writer must not change it after submitting.
     */
    record Put(String kind, String key, long expectedVersion, byte[] value) implements Mutation {
        public Put {
            Objects.requireNonNull(kind);
            Objects.requireNonNull(key);
            Objects.requireNonNull(value);
        }
    }

    record Delete(String kind, String key, long expectedVersion) implements Mutation {
        public Delete {
            Objects.requireNonNull(kind);
            Objects.requireNonNull(key);
        }
    }

    static Put create(String kind, String key, byte[] value) {
        return new Put(kind, key, ABSENT, value);
    }

    static Put update(Versioned read, byte[] value) {
        return new Put(read.kind(), read.key(), read.version(), value);
    }

    static Delete delete(Versioned read) {
        return new Delete(read.kind(), read.key(), read.version());
    }
}
