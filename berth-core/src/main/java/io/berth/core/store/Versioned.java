package io.berth.core.store;

import java.util.Objects;

/**
 * One stored aggregate: its kind (a table-like namespace such as {@code cluster}), its key within
 * the kind, its version (1 on creation, +1 on each write) and its serialized value. The value array
 * is owned by the store: never modify it.
 */
public record Versioned(String kind, String key, long version, byte[] value) {
    public Versioned {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(key);
        Objects.requireNonNull(value);
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1: " + version);
        }
    }
}
