package io.berth.store.sqlite;

import io.berth.core.store.Change;
import io.berth.core.store.StoreUnavailableException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber's delivery: a thread of its own that pulls the changes after its cursor from
 * {@link SqliteStateStore#changesSince} (memory ring first, database for older ones), hands them to
 * the listener in order, and parks when it has caught up until the writer {@link #wake}s it.
 *
 * <p>Pulling makes replay and live delivery the same loop, so there is no seam to lose or repeat a
 * change at, and a slow listener only lags: it never holds up the writer or other subscribers. A
 * listener that lags behind the retained changes (see {@link SqliteStateStore}) is stopped with an
 * error in the log.
 */
final class FeedSubscription implements AutoCloseable, Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(FeedSubscription.class);
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final int BATCH = 512;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final SqliteStateStore store;
    private final Consumer<Change> listener;
    private final Runnable onClose;
    private final Thread thread;
    private volatile boolean open = true;
    private long cursor;

    FeedSubscription(SqliteStateStore store, long afterSequence, Consumer<Change> listener, Runnable onClose) {
        this.store = store;
        this.cursor = afterSequence;
        this.listener = listener;
        this.onClose = onClose;
        this.thread = Thread.ofPlatform().daemon()
                .name("berth-store-feed-" + IDS.incrementAndGet()).unstarted(this);
    }

    void start() {
        thread.start();
    }

    /** Called by the writer after each publish. */
    void wake() {
        LockSupport.unpark(thread);
    }

    @Override
    public void run() {
        while (open) {
            List<Change> batch;
            try {
                batch = store.changesSince(cursor, BATCH);
            } catch (IllegalStateException e) {
                LOG.error("change subscription stopped at sequence {}: {}", cursor, e.getMessage());
                open = false;
                onClose.run();
                return;
            } catch (StoreUnavailableException e) {
                if (open) {
                    LOG.warn("change subscription cannot read the feed after {}; retrying", cursor, e);
                    LockSupport.parkNanos(IDLE_PARK_NANOS);
                }
                continue;
            }
            if (batch.isEmpty()) {
                LockSupport.parkNanos(IDLE_PARK_NANOS); // a publish since the read left a permit
                continue;
            }
            for (Change c : batch) {
                if (!open) {
                    return;
                }
                try {
                    listener.accept(c);
                } catch (RuntimeException e) {
                    LOG.warn("change listener failed on sequence {}; delivery goes on", c.sequence(), e);
                }
                cursor = c.sequence();
            }
        }
    }

    /** Stops delivery; when called from another thread, waits for a delivery in progress to end. */
    @Override
    public void close() {
        open = false;
        onClose.run();
        wake();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
