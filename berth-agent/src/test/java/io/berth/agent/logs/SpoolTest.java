package io.berth.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @TempDir
    Path dir;

    private static Spool.Meta meta() {
        return new Spool.Meta("c0ffee", "arn:task/t", "web", "g", "s", "us-east-1", false, null, "p-c0ffee", 1, null,
                false, false);
    }

    private static Cursor cursor(Instant at, String... lines) {
        Cursor c = Cursor.START;
        for (String l : lines) {
            c = c.after(new io.berth.core.runtime.LogLine(at, false, l, false));
        }
        return c;
    }

    private static EventAssembler.Event event(long ts, String message, Cursor cursor) {
        return new EventAssembler.Event(ts, message, cursor);
    }

    @Test
    void sealedBatchesSurviveAReopenUntilAcknowledged() {
        Spool spool = Spool.create(dir.resolve("c"), meta());
        Cursor c1 = cursor(Instant.ofEpochSecond(100, 5), "x", "y");
        long first = spool.seal(List.of(event(1, "a", c1), event(2, "b€", c1)), c1);
        Cursor c2 = cursor(Instant.ofEpochSecond(101, 0), "z");
        long second = spool.seal(List.of(event(3, "c", c2)), c2);
        assertThat(first).isEqualTo(1);
        assertThat(second).isEqualTo(2);

        Spool again = Spool.open(dir.resolve("c")).orElseThrow();
        assertThat(again.pending()).containsExactly(1L, 2L);
        assertThat(again.meta().cursor()).isEqualTo(c2);
        assertThat(again.meta().nextBatch()).isEqualTo(3);
        Spool.Batch b = again.read(1).orElseThrow();
        assertThat(b.events()).extracting(EventAssembler.Event::message).containsExactly("a", "b€");
        assertThat(b.cursorAfter()).isEqualTo(c1);
        again.acknowledge(1);
        assertThat(Spool.open(dir.resolve("c")).orElseThrow().pending()).containsExactly(2L);
    }

    @Test
    void aBatchSealedJustBeforeACrashMovesTheCursor() throws IOException {
        Spool spool = Spool.create(dir.resolve("c"), meta());
        Cursor c1 = cursor(Instant.ofEpochSecond(100), "a");
        spool.seal(List.of(event(1, "a", c1)), c1);
        // the crash came between the batch file and the meta: put the old meta back
        Files.write(dir.resolve("c").resolve(Spool.META), AwsJsonClient.JSON.writeValueAsBytes(meta()));
        Spool again = Spool.open(dir.resolve("c")).orElseThrow();
        assertThat(again.meta().nextBatch()).isEqualTo(2);
        assertThat(again.meta().cursor()).isEqualTo(c1);
    }

    @Test
    void aTornBatchIsDropped() throws IOException {
        Spool spool = Spool.create(dir.resolve("c"), meta());
        Cursor c1 = cursor(Instant.ofEpochSecond(100), "a");
        spool.seal(List.of(event(1, "abcdef", c1)), c1);
        Path file = dir.resolve("c").resolve(String.format("%020d.batch", 1));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 6] ^= 0x55;
        Files.write(file, bytes);
        assertThat(spool.read(1)).isEmpty();
        assertThat(spool.pending()).isEmpty();
    }

    @Test
    void shippedMarksStayUntilDeleted() {
        Spool spool = Spool.create(dir.resolve("c"), meta());
        spool.markShipped();
        assertThat(Spool.open(dir.resolve("c")).orElseThrow().meta().shipped()).isTrue();
        spool.delete();
        assertThat(Spool.open(dir.resolve("c"))).isEmpty();
        assertThat(Files.exists(dir.resolve("c"))).isFalse();
    }
}
