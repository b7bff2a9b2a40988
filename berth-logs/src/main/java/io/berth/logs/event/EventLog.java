package io.berth.logs.event;

import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.Versioned;
import io.berth.logs.LogsJson;
import io.berth.logs.StoreRetry;
import io.berth.logs.group.LogGroup;
import io.berth.logs.stream.LogStream;
import io.berth.logs.stream.LogStreams;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The events of log streams, in the store.
 *
 * <pre>
 *   logs.stream       &lt;group id&gt;:&lt;stream&gt;        the stream record: lastChunk, its fill, producers' batch marks
 *   logs.chunk        &lt;stream id&gt;:&lt;chunk 10 digits&gt;  events, appended (ChunkCodec)
 *   logs.chunk-index  &lt;stream id&gt;:&lt;chunk 10 digits&gt;  count, bytes, min/max timestamp (ChunkIndex)
 * </pre>
 *
 * One PutLogEvents is one transaction of three writes: the stream record (checked against the version
 * read, which serialises uploads to a stream and makes the batch-id check exact), the chunk (appended
 * while it holds less than {@link #CHUNK_BYTES} and {@link #CHUNK_EVENTS}, else a new one) and its
 * index entry. A batch is never split across chunks. Chunks are only ever appended to or deleted
 * whole (retention, purges), so an event's position (chunk, index) never changes.
 *
 * <p>Thread-safe; uploads to one stream take turns on a striped lock within this process and are
 * retried on conflicts with other processes.
 */
public final class EventLog {
    public static final String CHUNK = "logs.chunk";
    public static final String INDEX = "logs.chunk-index";
    static final long CHUNK_BYTES = 256 * 1024;
    static final int CHUNK_EVENTS = 10_000;

    private final StateStore store;
    private final LogStreams streams;
    private final ReentrantLock[] stripes = new ReentrantLock[64];

    public EventLog(StateStore store, LogStreams streams) {
        this.store = store;
        this.streams = streams;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    public static String chunkKey(String streamId, long chunk) {
        return streamId + ":" + String.format("%010d", chunk);
    }

    /** The outcome of an upload: the stream after it, and whether it was a resent batch (nothing stored). */
    public record Appended(LogStream stream, boolean duplicate) {
    }

    /**
     * Stores {@code events} (already checked by {@link BatchRules}; may be empty when all were
     * rejected) at the end of the stream, unless {@code batch} was stored before.
     */
    public Appended append(LogGroup group, String streamName, List<InputEvent> events, BatchId batch,
                           long nowMillis) {
        String streamKey = LogStreams.key(group, streamName);
        ReentrantLock lock = stripes[Math.floorMod(streamKey.hashCode(), stripes.length)];
        lock.lock();
        try {
            return StoreRetry.onConflict(() -> appendOnce(group, streamName, events, batch, nowMillis));
        } finally {
            lock.unlock();
        }
    }

    private Appended appendOnce(LogGroup group, String streamName, List<InputEvent> events, BatchId batch,
                                long now) {
        Versioned read = streams.read(group, streamName).orElseThrow(LogStreams::notFound);
        LogStream stream = LogStreams.decode(read);
        String producer = batch == null ? null : batch.producer();
        Long sequence = batch == null ? null : batch.sequence();
        if (batch != null && stream.producers().getOrDefault(producer, 0L) >= sequence) {
            return new Appended(stream, true);
        }
        if (events.isEmpty()) {
            LogStream after = stream.uploadedNothing(producer, sequence);
            store.commit(List.of(Mutation.update(read, LogsJson.encode(after))), StoreRetry.COMMIT_TIMEOUT);
            return new Appended(after, false);
        }
        long encoded = ChunkCodec.encodedLength(events);
        long bytes = 0;
        long minTs = Long.MAX_VALUE;
        long maxTs = Long.MIN_VALUE;
        for (InputEvent e : events) {
            bytes += e.size();
            minTs = Math.min(minTs, e.timestamp());
            maxTs = Math.max(maxTs, e.timestamp());
        }
        List<Mutation> writes = new ArrayList<>(3);
        long chunk = stream.lastChunk();
        Optional<Versioned> open = Optional.empty();
        if (chunk >= 0 && stream.lastChunkBytes() + encoded <= CHUNK_BYTES
                && stream.lastChunkEvents() + events.size() <= CHUNK_EVENTS) {
            open = store.get(CHUNK, chunkKey(stream.id(), chunk)); // absent: expired by retention meanwhile
        }
        long chunkBytes;
        int chunkEvents;
        if (open.isPresent()) {
            Versioned openChunk = open.get();
            String key = chunkKey(stream.id(), chunk);
            byte[] value = ChunkCodec.append(openChunk.value(), events, now);
            writes.add(Mutation.update(openChunk, value));
            Optional<Versioned> index = store.get(INDEX, key);
            ChunkIndex before = index.isPresent() ? LogsJson.decode(index.get().value(), ChunkIndex.class)
                    : summarize(chunk, openChunk.value());
            ChunkIndex next = before.plus(events.size(), bytes, encoded, minTs, maxTs);
            writes.add(index.isPresent() ? Mutation.update(index.get(), LogsJson.encode(next))
                    : new Mutation.Put(INDEX, key, Mutation.ANY, LogsJson.encode(next)));
            chunkBytes = value.length;
            chunkEvents = next.count();
        } else {
            chunk = chunk + 1;
            byte[] value = ChunkCodec.chunk(events, now);
            ChunkIndex index = new ChunkIndex(chunk, events.size(), bytes, value.length, minTs, maxTs);
            writes.add(Mutation.create(CHUNK, chunkKey(stream.id(), chunk), value));
            writes.add(new Mutation.Put(INDEX, chunkKey(stream.id(), chunk), Mutation.ANY, LogsJson.encode(index)));
            chunkBytes = value.length;
            chunkEvents = events.size();
        }
        LogStream after = stream.appended(minTs, maxTs, now, bytes, chunk, chunkBytes, chunkEvents, producer,
                sequence);
        writes.add(0, Mutation.update(read, LogsJson.encode(after)));
        store.commit(writes, StoreRetry.COMMIT_TIMEOUT);
        return new Appended(after, false);
    }

    /** The index entry of a chunk, from its events (when the entry is missing). */
    static ChunkIndex summarize(long chunk, byte[] value) {
        List<StoredEvent> events = ChunkCodec.decode(chunk, value);
        long bytes = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (StoredEvent e : events) {
            bytes += e.size();
            min = Math.min(min, e.timestamp());
            max = Math.max(max, e.timestamp());
        }
        return new ChunkIndex(chunk, events.size(), bytes, value.length, min, max);
    }

    // ---- reading -------------------------------------------------------------------------------

    /** The index entries of a stream's chunks, by chunk number. */
    public List<ChunkIndex> indexes(String streamId) {
        return indexes(store, streamId);
    }

    /** The index entries of a stream's chunks in {@code store}, by chunk number. */
    public static List<ChunkIndex> indexes(StateStore store, String streamId) {
        List<ChunkIndex> out = new ArrayList<>();
        String prefix = streamId + ":";
        String after = null;
        while (true) {
            List<Versioned> page = store.scan(INDEX, prefix, after, 1000);
            for (Versioned v : page) {
                out.add(LogsJson.decode(v.value(), ChunkIndex.class));
            }
            if (page.size() < 1000) {
                return out;
            }
            after = page.get(page.size() - 1).key();
        }
    }

    /** The events of one chunk in stored order; empty when it no longer exists. */
    public List<StoredEvent> chunk(String streamId, long chunk) {
        return store.get(CHUNK, chunkKey(streamId, chunk))
                .map(v -> ChunkCodec.decode(chunk, v.value()))
                .orElse(List.of());
    }
}
