package io.berth.logs.event;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of one chunk of a stream's events (the value of a {@code logs.chunk} entry):
 *
 * <pre>
 *   version (1 byte, = 1)
 *   event*: timestamp (8, big-endian ms) | ingestionTime (8) | length (4) | message (UTF-8, length bytes)
 * </pre>
 * Events carry no count or index: appending to a chunk is concatenating the encoded new events to
 * its bytes, without decoding what is there. Stateless.
 */
public final class ChunkCodec {
    static final byte VERSION = 1;

    private ChunkCodec() {
    }

    /** A new chunk holding {@code events}. */
    static byte[] chunk(List<InputEvent> events, long ingestionTime) {
        byte[] body = encode(events, ingestionTime);
        byte[] out = new byte[body.length + 1];
        out[0] = VERSION;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    /** {@code chunk} with {@code events} appended. */
    static byte[] append(byte[] chunk, List<InputEvent> events, long ingestionTime) {
        byte[] body = encode(events, ingestionTime);
        byte[] out = new byte[chunk.length + body.length];
        System.arraycopy(chunk, 0, out, 0, chunk.length);
        System.arraycopy(body, 0, out, chunk.length, body.length);
        return out;
    }

    /** The encoded length of {@code events} in a chunk. */
    static long encodedLength(List<InputEvent> events) {
        long n = 0;
        for (InputEvent e : events) {
            n += 20 + InputEvent.utf8Length(e.message());
        }
        return n;
    }

    private static byte[] encode(List<InputEvent> events, long ingestionTime) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE, encodedLength(events)));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (InputEvent e : events) {
                byte[] message = e.utf8();
                out.writeLong(e.timestamp());
                out.writeLong(ingestionTime);
                out.writeInt(message.length);
                out.write(message);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The events of chunk number {@code chunk}, in stored order. */
    public static List<StoredEvent> decode(long chunk, byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != VERSION) {
            throw new IllegalStateException("unknown chunk format " + (bytes.length == 0 ? "(empty)" : bytes[0]));
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        List<StoredEvent> events = new ArrayList<>();
        int index = 0;
        while (in.remaining() > 0) {
            long timestamp = in.getLong();
            long ingestion = in.getLong();
            int length = in.getInt();
            String message = new String(bytes, in.position(), length, StandardCharsets.UTF_8);
            in.position(in.position() + length);
            events.add(new StoredEvent(StoredEvent.position(chunk, index++), timestamp, ingestion, message));
        }
        return events;
    }
}
