package io.berth.registry.image;

import io.berth.registry.blob.Digest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Recently read manifests by digest, up to a byte budget; when over it, the least recently used go
 * first. Safe without invalidation: a digest names its bytes forever. Thread-safe; reads take no
 * lock (they only stamp the entry's use), eviction runs under one.
 */
final class ManifestCache {
    private final long budget;
    private final AtomicLong size = new AtomicLong();
    private final AtomicLong clock = new AtomicLong();
    private final ConcurrentHashMap<Digest, Entry> entries = new ConcurrentHashMap<>();

    private static final class Entry {
        final byte[] bytes;
        volatile long used;

        Entry(byte[] bytes, long used) {
            this.bytes = bytes;
            this.used = used;
        }
    }

    ManifestCache(long budget) {
        this.budget = budget;
    }

    byte[] get(Digest digest) {
        Entry e = entries.get(digest);
        if (e == null) {
            return null;
        }
        e.used = clock.getAndIncrement();
        return e.bytes;
    }

    void put(Digest digest, byte[] bytes) {
        if (bytes.length > budget / 4) {
            return;
        }
        Entry fresh = new Entry(bytes, clock.getAndIncrement());
        Entry old = entries.put(digest, fresh);
        if (size.addAndGet(bytes.length - (old == null ? 0 : old.bytes.length)) > budget) {
            evict();
        }
    }

    /** Drops the least recently used entries until the cache fits its budget again. */
    private synchronized void evict() {
        if (size.get() <= budget) {
            return;
        }
        List<Map.Entry<Digest, Entry>> byUse = new ArrayList<>(entries.entrySet());
        byUse.sort(Comparator.comparingLong(e -> e.getValue().used));
        for (Map.Entry<Digest, Entry> e : byUse) {
            if (size.get() <= budget) {
                break;
            }
            if (entries.remove(e.getKey(), e.getValue())) {
                size.addAndGet(-e.getValue().bytes.length);
            }
        }
    }
}
