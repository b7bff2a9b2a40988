package io.berth.registry.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.registry.blob.Digest;
import org.junit.jupiter.api.Test;

class ManifestCacheTest {
    private static Digest d(String name) {
        return Digest.sha256(name.getBytes());
    }

    @Test
    void overItsBudgetTheLeastRecentlyUsedManifestsGoFirst() {
        ManifestCache cache = new ManifestCache(400);
        for (String name : new String[] {"a", "b", "c", "d"}) {
            cache.put(d(name), new byte[100]);
        }
        assertThat(cache.get(d("a"))).hasSize(100);

        cache.put(d("e"), new byte[100]);

        assertThat(cache.get(d("b"))).isNull();
        assertThat(cache.get(d("a"))).isNotNull();
        assertThat(cache.get(d("c"))).isNotNull();
        assertThat(cache.get(d("e"))).isNotNull();
    }

    @Test
    void aManifestOverAQuarterOfTheBudgetIsNotKept() {
        ManifestCache cache = new ManifestCache(400);
        cache.put(d("big"), new byte[101]);
        assertThat(cache.get(d("big"))).isNull();
    }
}
