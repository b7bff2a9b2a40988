package io.berth.registry;

import io.berth.core.store.Versioned;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stored values decoded once: the record decoded from a key's bytes is kept while the store hands
 * out the same bytes (the same array, or equal ones: records are immutable, so equal bytes decode to
 * an equal record). Bounded: cleared when full. Thread-safe and lock-free; for the hot reads of
 * every registry request (repository, tag, image).
 */
public final class DecodedCache<T> {
    private final Class<T> type;
    private final int max;
    private final ConcurrentHashMap<String, Entry<T>> entries = new ConcurrentHashMap<>();

    private record Entry<T>(byte[] raw, T value) {
    }

    public DecodedCache(Class<T> type, int max) {
        this.type = type;
        this.max = max;
    }

    /** The value of {@code stored}, decoded with {@link RegistryJson#decode}. */
    public T decode(Versioned stored) {
        byte[] raw = stored.value();
        Entry<T> hit = entries.get(stored.key());
        if (hit != null && (hit.raw() == raw || Arrays.equals(hit.raw(), raw))) {
            return hit.value();
        }
        T value = RegistryJson.decode(raw, type);
        if (entries.size() >= max) {
            entries.clear();
        }
        entries.put(stored.key(), new Entry<>(raw, value));
        return value;
    }
}
