package io.berth.store.sqlite;

import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the WAL short without stalling commits. SQLite's automatic checkpoint would run inside the
 * commit that crosses the threshold, copying thousands of pages and syncing the database file while
 * every committer of the batch waits; here the copy happens on a thread of its own:
 *
 * <pre>
 *  checkpointer thread, every 100 ms after writes:   writer thread, between two batches:
 *    PASSIVE checkpoint on its own connection          if asked: PASSIVE checkpoint on the write
 *    (the heavy copy + sync of the database file;      connection; copies the few frames written
 *    the writer keeps appending meanwhile)             since, so the WAL is fully copied and the
 *    WAL ≥ RESTART_FRAMES frames? ─ ask the writer ──▶ next write starts it over from the top
 * </pre>
 *
 * Thread-safety: {@link #written} and {@link #finishIfAsked} are for the writer thread; the
 * checkpoint connection is used by this class's thread only.
 */
final class WalCheckpointer implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
    /** WAL length (pages) at which the writer is asked to let it start over: 8 MiB of 4 KiB pages. */
    static final long RESTART_FRAMES = 2_048;
    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final SqliteDatabase db;
    private final Thread thread;
    private final AtomicLong writes = new AtomicLong();
    private volatile boolean finishAsked;
    private volatile boolean running = true;

    WalCheckpointer(SqliteDatabase db) {
        this.db = db;
        this.thread = Thread.ofPlatform().daemon().name("berth-store-checkpointer").unstarted(this);
    }

    void start() {
        thread.start();
    }

    /** The writer committed a batch. */
    void written() {
        writes.incrementAndGet();
    }

    /** The writer is between batches: finish a checkpoint if this thread asked for it. */
    void finishIfAsked() {
        if (!finishAsked) {
            return;
        }
        finishAsked = false;
        try {
            db.checkpoint(true);
        } catch (SQLException e) {
            LOG.warn("finishing a WAL checkpoint failed; the WAL grows until the next one", e);
        }
    }

    @Override
    public void run() {
        long seen = 0;
        while (running) {
            LockSupport.parkNanos(INTERVAL_NANOS);
            long now = writes.get();
            if (now == seen || !running) {
                continue;
            }
            seen = now;
            try {
                SqliteDatabase.WalState wal = db.checkpoint(false);
                if (wal.frames() >= RESTART_FRAMES) {
                    finishAsked = true;
                }
            } catch (SQLException e) {
                LOG.warn("background WAL checkpoint failed", e);
            }
        }
    }

    void stop() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean stopped() {
        return !thread.isAlive();
    }
}
