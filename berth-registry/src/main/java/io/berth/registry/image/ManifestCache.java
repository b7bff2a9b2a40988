package io.berth.registry.image;

import io.berth.registry.blob.Digest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recently read manifests by digest, up to a byte budget, least recently used out first. Safe
 * without invalidation: a digest names its bytes forever. Thread-safe (one lock).
 */
final class ManifestCache {
    private final long budget;
    private long size;
    private final LinkedHashMap<Digest, byte[]> entries = new LinkedHashMap<>(256, 0.75f, true);

    ManifestCache(long budget) {
        this.budget = budget;
    }

    synchronized byte[] get(Digest digest) {
        return entries.get(digest);
    }

    synchronized void put(Digest digest, byte[] bytes) {
        if (bytes.length > budget / 4) {
            return;
        }
        byte[] old = entries.put(digest, bytes);
        size += bytes.length - (old == null ? 0 : old.length);
        var it = entries.entrySet().iterator();
        while (size > budget && it.hasNext()) {
            Map.Entry<Digest, byte[]> eldest = it.next();
            size -= eldest.getValue().length;
            it.remove();
        }
    }
}
