package io.berth.ecs;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.BiFunction;

/**
 * Decoded values by the identity of the bytes they were decoded from. The store hands out the same
 * array for a stored value until it is replaced, so a value is decoded once per version; an entry
 * lives as long as its array (weak keys: arrays hash and compare by identity). Striped locks keep
 * readers of different values apart.
 *
 * <p>Only for immutable values: every caller gets the same instance.
 */
public final class DecodedCache {
    private static final int STRIPES = 64;

    private record Entry(Class<?> type, Object value) {
    }

    @SuppressWarnings("unchecked")
    private final Map<byte[], Entry>[] stripes = new Map[STRIPES];

    public DecodedCache() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new WeakHashMap<>();
        }
    }

    /** Remembers that {@code bytes} decode to {@code value} (which its writer just encoded). */
    public void put(byte[] bytes, Object value) {
        Map<byte[], Entry> stripe = stripes[(System.identityHashCode(bytes) & 0x7fffffff) % STRIPES];
        synchronized (stripe) {
            stripe.put(bytes, new Entry(value.getClass(), value));
        }
    }

    /** What {@code bytes} (that very array) decode to as a {@code type}, if known. */
    public <T> T get(byte[] bytes, Class<T> type) {
        Map<byte[], Entry> stripe = stripes[(System.identityHashCode(bytes) & 0x7fffffff) % STRIPES];
        synchronized (stripe) {
            Entry e = stripe.get(bytes);
            return e != null && e.type() == type ? type.cast(e.value()) : null;
        }
    }

    <T> T decode(byte[] bytes, Class<T> type, BiFunction<byte[], Class<T>, T> read) {
        Map<byte[], Entry> stripe = stripes[(System.identityHashCode(bytes) & 0x7fffffff) % STRIPES];
        synchronized (stripe) {
            Entry e = stripe.get(bytes);
            if (e != null && e.type() == type) {
                return type.cast(e.value());
            }
        }
        T value = read.apply(bytes, type);
        synchronized (stripe) {
            stripe.put(bytes, new Entry(type, value));
        }
        return value;
    }
}
