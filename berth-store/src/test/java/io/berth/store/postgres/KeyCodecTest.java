package io.berth.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyCodecTest {

    @Test
    void bytewiseOrderOfEncodedKeysIsJavaStringOrderAndKeysRoundTrip() {
        Random random = new Random(42);
        List<String> keys = new ArrayList<>();
        char[] alphabet = {'a', 'b', 'B', '/', '\u00e9', '\uFF61', '\uD83D', '\uDE00', '\uFFFF', '\u0000'};
        for (int i = 0; i < 2_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int n = random.nextInt(5); n > 0; n--) {
                sb.append(alphabet[random.nextInt(alphabet.length)]);
            }
            keys.add(sb.toString());
        }
        for (String a : keys) {
            String b = keys.get(random.nextInt(keys.size()));
            assertThat(Integer.signum(Arrays.compareUnsigned(KeyCodec.encode(a), KeyCodec.encode(b))))
                    .as("%s vs %s", a, b).isEqualTo(Integer.signum(a.compareTo(b)));
            assertThat(KeyCodec.decode(KeyCodec.encode(a))).isEqualTo(a);
        }
    }

    @Test
    void prefixEndIsTheExclusiveBoundOfAPrefixRange() {
        assertThat(KeyCodec.prefixEnd(new byte[] {0, 'a'})).containsExactly(0, 'b');
        assertThat(KeyCodec.prefixEnd(new byte[] {0, (byte) 0xFF})).containsExactly(1);
        assertThat(KeyCodec.prefixEnd(new byte[] {(byte) 0xFF, (byte) 0xFF})).isNull();
        assertThat(KeyCodec.prefixEnd(new byte[0])).isNull();
    }
}
