package io.berth.logs.stream;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A log stream as stored (kind {@code logs.stream}, key {@code <group id>:<stream name>}): what
 * DescribeLogStreams shows, plus where its events are.
 *
 * <p>Its events live in chunks (kind {@code logs.chunk}, key {@code <stream id>:<chunk number>}),
 * each with a small index entry (kind {@code logs.chunk-index}, same key); {@code lastChunk} is the
 * one appends go to until it is full. See {@code io.berth.logs.event.EventLog}.
 *
 * @param uploads accepted PutLogEvents calls, the source of the {@code uploadSequenceToken}
 * @param lastChunk the number of the chunk appends go to, -1 before the first event
 * @param producers the highest batch sequence accepted per producer (client-side batch ids carried in
 *     {@code sequenceToken} as {@code berth:<producer>:<sequence>}): a resent batch is not stored twice
 */
public record LogStream(String id, String name, long creationTime, Long firstEventTimestamp,
                        Long lastEventTimestamp, Long lastIngestionTime, long storedBytes, long uploads,
                        long lastChunk, long lastChunkBytes, int lastChunkEvents, Map<String, Long> producers) {
    public LogStream {
        Objects.requireNonNull(id);
        Objects.requireNonNull(name);
        producers = producers == null ? Map.of() : Map.copyOf(producers);
    }

    public static LogStream create(String id, String name, long creationTime) {
        return new LogStream(id, name, creationTime, null, null, null, 0, 0, -1, 0, 0, Map.of());
    }

    /** The token AWS shows (and no longer requires): 56 digits that change with every upload. */
    public String uploadSequenceToken() {
        return "4959" + String.format("%052d", uploads + 1);
    }

    /** This stream after one accepted upload of events spanning [minTs, maxTs], now in {@code chunk}. */
    public LogStream appended(long minTs, long maxTs, long ingestion, long bytes, long chunk, long chunkBytes,
                              int chunkEvents, String producer, Long batch) {
        Map<String, Long> p = producers;
        if (producer != null && batch != null) {
            p = new TreeMap<>(producers);
            p.put(producer, batch);
        }
        return new LogStream(id, name, creationTime,
                firstEventTimestamp == null ? minTs : Math.min(firstEventTimestamp, minTs),
                lastEventTimestamp == null ? maxTs : Math.max(lastEventTimestamp, maxTs),
                ingestion, storedBytes + bytes, uploads + 1, chunk, chunkBytes, chunkEvents, p);
    }

    /** This stream with {@code bytes} stored (after retention removed some). */
    public LogStream withStoredBytes(long bytes) {
        return new LogStream(id, name, creationTime, firstEventTimestamp, lastEventTimestamp, lastIngestionTime,
                bytes, uploads, lastChunk, lastChunkBytes, lastChunkEvents, producers);
    }

    /** This stream after an upload of which every event was rejected (the token still moves). */
    public LogStream uploadedNothing(String producer, Long batch) {
        Map<String, Long> p = producers;
        if (producer != null && batch != null) {
            p = new TreeMap<>(producers);
            p.put(producer, batch);
        }
        return new LogStream(id, name, creationTime, firstEventTimestamp, lastEventTimestamp, lastIngestionTime,
                storedBytes, uploads + 1, lastChunk, lastChunkBytes, lastChunkEvents, p);
    }
}
