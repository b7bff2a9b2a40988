package io.berth.logs.retention;

import io.berth.core.store.ConflictException;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.Versioned;
import io.berth.logs.LogsJson;
import io.berth.logs.StoreRetry;
import io.berth.logs.event.ChunkIndex;
import io.berth.logs.event.EventLog;
import io.berth.logs.group.LogGroup;
import io.berth.logs.group.LogGroups;
import io.berth.logs.stream.LogStream;
import io.berth.logs.stream.LogStreams;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background work of the Logs API, one pass every {@code interval} (and soon after a deletion):
 *
 * <ol>
 *   <li>carries out {@link Purges}: the streams and events of deleted groups, the events of deleted
 *       streams;</li>
 *   <li>enforces retention policies: deletes the chunks whose newest event is older than the group's
 *       retention (whole chunks, so an expired event may outlive its period until its chunk's newest
 *       one expires too; AWS also deletes expired events lazily);</li>
 *   <li>refreshes each group's {@code storedBytes}.</li>
 * </ol>
 * Every step is idempotent and checks versions, so a pass that races an upload skips what changed
 * and finishes on the next pass; a crash mid-pass loses nothing. Thread-safe.
 */
public final class LogsJanitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogsJanitor.class);
    private static final int DELETE_BATCH = 500;

    private final StateStore store;
    private final InstantSource clock;
    private final Duration interval;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile ScheduledExecutorService executor;

    public LogsJanitor(StateStore store, InstantSource clock, Duration interval) {
        this.store = store;
        this.clock = clock;
        this.interval = interval;
    }

    /** Starts the periodic passes (the first one at once). */
    public LogsJanitor start() {
        ScheduledExecutorService e = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "logs-janitor");
            t.setDaemon(true);
            return t;
        });
        executor = e;
        e.scheduleWithFixedDelay(this::passQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Asks for a pass soon (after a deletion); no-op when not started. */
    public void wake() {
        ScheduledExecutorService e = executor;
        if (e != null && !e.isShutdown()) {
            try {
                e.execute(this::passQuietly);
            } catch (java.util.concurrent.RejectedExecutionException ignored) {
                // closing
            }
        }
    }

    private void passQuietly() {
        try {
            pass();
        } catch (RuntimeException e) {
            LOG.warn("logs janitor pass failed; will try again", e);
        }
    }

    /** One pass, on the caller's thread. Passes do not overlap: a concurrent call returns at once. */
    public void pass() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            purge();
            long now = clock.millis();
            String after = null;
            while (true) {
                List<Versioned> groups = store.scan(LogGroups.KIND, "", after, 200);
                for (Versioned v : groups) {
                    LogGroup group = LogsJson.decode(v.value(), LogGroup.class);
                    long stored = 0;
                    for (Versioned sv : streamsOf(group.id())) {
                        stored += group.retentionInDays() == null ? LogStreams.decode(sv).storedBytes()
                                : expire(sv, group.expiredBefore(now));
                    }
                    if (stored != group.storedBytes()) {
                        try {
                            store.commit(List.of(Mutation.update(v, LogsJson.encode(group.withStoredBytes(stored)))),
                                    StoreRetry.COMMIT_TIMEOUT);
                        } catch (ConflictException e) {
                            // changed meanwhile: the next pass counts again
                        }
                    }
                }
                if (groups.size() < 200) {
                    break;
                }
                after = groups.get(groups.size() - 1).key();
            }
        } finally {
            running.set(false);
        }
    }

    /** Deletes the expired chunks of one stream; returns its stored bytes after. */
    private long expire(Versioned streamRecord, long expiredBefore) {
        LogStream stream = LogStreams.decode(streamRecord);
        long removed = 0;
        for (ChunkIndex index : EventLog.indexes(store, stream.id())) {
            if (index.maxTimestamp() >= expiredBefore) {
                continue;
            }
            String key = EventLog.chunkKey(stream.id(), index.chunk());
            Optional<Versioned> chunk = store.get(EventLog.CHUNK, key);
            try {
                List<Mutation> writes = new ArrayList<>();
                chunk.ifPresent(c -> writes.add(Mutation.delete(c)));
                writes.add(new Mutation.Delete(EventLog.INDEX, key, Mutation.ANY));
                store.commit(writes, StoreRetry.COMMIT_TIMEOUT);
                removed += index.bytes();
            } catch (ConflictException e) {
                // an upload appended to it meanwhile: not expired any more
            }
        }
        if (removed == 0) {
            return stream.storedBytes();
        }
        long gone = removed;
        try {
            return StoreRetry.onConflict(() -> {
                Optional<Versioned> current = store.get(LogStreams.KIND, streamRecord.key());
                if (current.isEmpty()) {
                    return 0L;
                }
                LogStream s = LogStreams.decode(current.get());
                long bytes = Math.max(0, s.storedBytes() - gone);
                store.commit(List.of(Mutation.update(current.get(), LogsJson.encode(s.withStoredBytes(bytes)))),
                        StoreRetry.COMMIT_TIMEOUT);
                return bytes;
            });
        } catch (RuntimeException e) {
            LOG.debug("cannot update the stored bytes of stream {}", stream.name(), e);
            return Math.max(0, stream.storedBytes() - gone);
        }
    }

    // ---- purges --------------------------------------------------------------------------------

    private void purge() {
        for (Versioned p : store.scan(Purges.KIND, "", null, 1000)) {
            String key = p.key();
            boolean done;
            if (key.startsWith("group:")) {
                done = purgeGroup(key.substring("group:".length()));
            } else if (key.startsWith("stream:")) {
                purgeEvents(key.substring("stream:".length()));
                done = true;
            } else {
                done = true;
            }
            if (done) {
                try {
                    store.commit(List.of(Mutation.delete(p)), StoreRetry.COMMIT_TIMEOUT);
                } catch (ConflictException e) {
                    // filed again meanwhile: the next pass handles it
                }
            }
        }
    }

    /** Removes the streams (and their events) of a deleted group; true when none is left. */
    private boolean purgeGroup(String groupId) {
        boolean all = true;
        while (true) {
            List<Versioned> streams = store.scan(LogStreams.KIND, groupId + ":", null, 200);
            if (streams.isEmpty()) {
                return all;
            }
            for (Versioned s : streams) {
                purgeEvents(LogStreams.decode(s).id());
                try {
                    store.commit(List.of(Mutation.delete(s)), StoreRetry.COMMIT_TIMEOUT);
                } catch (ConflictException e) {
                    return false; // an upload raced the deletion: the next pass finishes it
                }
            }
        }
    }

    private void purgeEvents(String streamId) {
        for (String kind : List.of(EventLog.CHUNK, EventLog.INDEX)) {
            while (true) {
                List<Versioned> page = store.scan(kind, streamId + ":", null, DELETE_BATCH);
                if (page.isEmpty()) {
                    break;
                }
                List<Mutation> deletes = new ArrayList<>(page.size());
                page.forEach(v -> deletes.add(new Mutation.Delete(kind, v.key(), Mutation.ANY)));
                store.commit(deletes, StoreRetry.COMMIT_TIMEOUT);
            }
        }
    }

    private List<Versioned> streamsOf(String groupId) {
        List<Versioned> out = new ArrayList<>();
        String after = null;
        while (true) {
            List<Versioned> page = store.scan(LogStreams.KIND, groupId + ":", after, 1000);
            out.addAll(page);
            if (page.size() < 1000) {
                return out;
            }
            after = page.get(page.size() - 1).key();
        }
    }

    @Override
    public void close() {
        ScheduledExecutorService e = executor;
        if (e != null) {
            e.shutdownNow();
        }
    }
}
