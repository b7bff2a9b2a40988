package io.berth.logs.event;

/**
 * An event as stored and read back.
 *
 * @param position where it is in its stream: {@code chunk × 1,000,000 + index in the chunk}; the
 *     order events were stored in, which GetLogEvents follows and its tokens name
 */
public record StoredEvent(long position, long timestamp, long ingestionTime, String message) {
    public static final long PER_CHUNK = 1_000_000L;

    public static long position(long chunk, int index) {
        return chunk * PER_CHUNK + index;
    }

    public long chunk() {
        return position / PER_CHUNK;
    }

    public long size() {
        return InputEvent.utf8Length(message) + InputEvent.OVERHEAD;
    }
}
