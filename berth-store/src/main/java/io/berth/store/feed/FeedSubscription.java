package io.berth.store.feed;

import io.berth.core.store.Change;
import io.berth.core.store.StateStore;
import io.berth.core.store.StoreUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber's delivery, shared by the store adapters: a thread of its own that pulls the
 * changes after its cursor from {@link StateStore#changesSince}, hands them to the listener in
 * order, and parks when it has caught up until the store {@link #wake}s it (or {@code idlePark}
 * passes: a wake-up lost between the read and the park costs at most that).
 *
 * <p>Pulling makes replay and live delivery the same loop, so there is no seam to lose or repeat a
 * change at, and a slow listener only lags: it never holds up the writer or other subscribers. A
 * listener that lags behind the retained changes (see {@link StateStore#changesSince}) is stopped with an
 * error in the log.
 */
public final class FeedSubscription implements AutoCloseable, Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(FeedSubscription.class);
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final int BATCH = 512;

    private final StateStore store;
    private final long idleParkNanos;
    private final Consumer<Change> listener;
    private final Runnable onClose;
    private final Thread thread;
    private volatile boolean open = true;
    private long cursor;

    /**
     * @param store where the changes are read from
     * @param afterSequence the last change the listener has seen
     * @param idlePark how long to wait for a {@link #wake} before reading again anyway
     * @param onClose called when delivery stops (closed, or behind the retained changes)
     */
    public FeedSubscription(StateStore store, long afterSequence, Consumer<Change> listener, Duration idlePark,
            Runnable onClose) {
        this.store = store;
        this.idleParkNanos = idlePark.toNanos();
        this.cursor = afterSequence;
        this.listener = listener;
        this.onClose = onClose;
        this.thread = Thread.ofPlatform().daemon()
                .name("berth-store-feed-" + IDS.incrementAndGet()).unstarted(this);
    }

    public void start() {
        thread.start();
    }

    /** Called by the store after each commit it learns of. */
    public void wake() {
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
                    LockSupport.parkNanos(idleParkNanos);
                }
                continue;
            }
            if (batch.isEmpty()) {
                LockSupport.parkNanos(idleParkNanos); // a publish since the read left a permit
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
