package io.berth.logs.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class ChunkCodecTest {

    @Property(tries = 200)
    void appendingIsConcatenatingAndPositionsNeverMove(@ForAll @Size(max = 20) List<String> first,
                                                       @ForAll @Size(max = 20) List<String> second) {
        List<InputEvent> a = first.stream().map(m -> new InputEvent(1, m)).toList();
        List<InputEvent> b = second.stream().map(m -> new InputEvent(2, m)).toList();
        byte[] chunk = ChunkCodec.append(ChunkCodec.chunk(a, 10), b, 20);
        List<StoredEvent> events = ChunkCodec.decode(7, chunk);
        assertThat(events).hasSize(a.size() + b.size());
        for (int i = 0; i < events.size(); i++) {
            StoredEvent e = events.get(i);
            assertThat(e.position()).isEqualTo(7 * StoredEvent.PER_CHUNK + i);
            assertThat(e.message()).isEqualTo(i < a.size() ? first.get(i) : second.get(i - a.size()));
            assertThat(e.ingestionTime()).isEqualTo(i < a.size() ? 10 : 20);
        }
        assertThat((long) chunk.length).isEqualTo(1 + ChunkCodec.encodedLength(a) + ChunkCodec.encodedLength(b));
    }
}
