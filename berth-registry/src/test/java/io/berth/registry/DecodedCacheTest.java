package io.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.store.Versioned;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DecodedCacheTest {
    record Thing(String name) {
    }

    private static Versioned stored(String key, long version, String json) {
        return new Versioned("thing", key, version, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSameBytesDecodeOnceAndNewBytesDecodeAgainWhateverTheirVersion() {
        DecodedCache<Thing> cache = new DecodedCache<>(Thing.class, 10);
        Versioned v1 = stored("k", 1, "{\"name\":\"one\"}");

        Thing first = cache.decode(v1);
        assertThat(cache.decode(v1)).isSameAs(first);
        assertThat(cache.decode(stored("k", 1, "{\"name\":\"one\"}"))).isSameAs(first);
        // a wiped store starts versions again at 1: the bytes decide, not the version
        assertThat(cache.decode(stored("k", 1, "{\"name\":\"other\"}"))).isEqualTo(new Thing("other"));
        assertThat(cache.decode(stored("k", 2, "{\"name\":\"two\"}"))).isEqualTo(new Thing("two"));
    }
}
