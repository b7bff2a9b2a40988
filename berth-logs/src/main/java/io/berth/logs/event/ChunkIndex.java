package io.berth.logs.event;

/**
 * The summary of one chunk (kind {@code logs.chunk-index}, same key as the chunk): enough to pick the
 * chunks a time range needs, to expire whole chunks, and to count stored bytes, without reading
 * the events.
 *
 * @param bytes stored bytes as AWS counts them (UTF-8 message + 26 per event)
 * @param encodedBytes the length of the chunk's value
 */
public record ChunkIndex(long chunk, int count, long bytes, long encodedBytes, long minTimestamp,
                         long maxTimestamp) {
    public ChunkIndex plus(int events, long addBytes, long addEncoded, long minTs, long maxTs) {
        return new ChunkIndex(chunk, count + events, bytes + addBytes, encodedBytes + addEncoded,
                Math.min(minTimestamp, minTs), Math.max(maxTimestamp, maxTs));
    }

    /** Whether any event of this chunk may lie in [from, to] (inclusive). */
    public boolean overlaps(long from, long to) {
        return maxTimestamp >= from && minTimestamp <= to;
    }
}
