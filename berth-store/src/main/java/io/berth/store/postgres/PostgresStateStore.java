package io.berth.store.postgres;

import io.berth.core.store.Change;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.StoreUnavailableException;
import io.berth.core.store.Versioned;
import io.berth.store.feed.FeedSubscription;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The {@link StateStore} for several server processes sharing one PostgreSQL database.
 *
 * <pre>
 *  reads (get, scan, count, changesSince) ──▶ pool ──▶ PostgreSQL (one statement each: one snapshot)
 *  commit ──▶ queue ──▶ PostgresCommitWriter ──▶ 1 transaction per batch: lock berth_feed, check,
 *                                                 write, NOTIFY berth_changes, commit (WAL flush)
 *                              └──▶ wake this process's FeedSubscriptions
 *  ChangeNotifications (LISTEN berth_changes) ──▶ wake them on other processes' commits too
 * </pre>
 *
 * <p>Nothing is cached: the database is the only copy, so every process reads what any process
 * committed (read-your-writes across processes, not only within one). Writers of all processes
 * take turns on the {@code berth_feed} row (see {@link PostgresDatabase}), which keeps the change
 * sequence dense and in commit order. All methods are thread-safe.
 *
 * <p>The feed keeps the last {@code retainedChanges} changes (default
 * {@value #DEFAULT_RETAINED_CHANGES}), as {@code SqliteStateStore} does.
 */
public final class PostgresStateStore implements StateStore {

    public static final int DEFAULT_RETAINED_CHANGES = 100_000;

    private static final int POOL_SIZE = 16;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_BATCH = 512;
    private static final int QUEUE_CAPACITY = 8_192;
    private static final Duration IDLE_PARK = Duration.ofSeconds(1);

    private final PostgresDatabase db;
    private final PostgresCommitWriter writer;
    private final ChangeNotifications notifications;
    private final Set<FeedSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Opens the store in the database at {@code url}, creating or upgrading its tables. */
    public static PostgresStateStore open(PostgresUrl url) {
        return open(url, DEFAULT_RETAINED_CHANGES);
    }

    /**
     * Opens the store at {@code url}, keeping the last {@code retainedChanges} changes.
     *
     * @throws StoreUnavailableException if the database cannot be reached or migrated
     */
    public static PostgresStateStore open(PostgresUrl url, int retainedChanges) {
        return open(url, retainedChanges, CONNECT_TIMEOUT);
    }

    /** As {@link #open(PostgresUrl, int)}, giving up on connecting after {@code connectTimeout}. */
    static PostgresStateStore open(PostgresUrl url, int retainedChanges, Duration connectTimeout) {
        if (retainedChanges < 1) {
            throw new IllegalArgumentException("retainedChanges must be positive: " + retainedChanges);
        }
        PostgresDatabase db;
        try {
            db = PostgresDatabase.open(url, POOL_SIZE, connectTimeout);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("cannot open the state store at " + url + ": " + e.getMessage(), e);
        }
        return new PostgresStateStore(db, retainedChanges);
    }

    private PostgresStateStore(PostgresDatabase db, int retainedChanges) {
        this.db = db;
        this.writer = new PostgresCommitWriter(db, this::wakeSubscriptions, MAX_BATCH, QUEUE_CAPACITY,
                retainedChanges);
        this.notifications = new ChangeNotifications(db.url(), this::wakeSubscriptions);
        writer.start();
        notifications.start();
    }

    @Override
    public Optional<Versioned> get(String kind, String key) {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(key);
        checkOpen();
        try {
            return Optional.ofNullable(db.get(kind, key));
        } catch (SQLException e) {
            throw unavailable("read", e);
        }
    }

    @Override
    public List<Versioned> scan(String kind, String prefix, String afterKey, int limit) {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(prefix);
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        checkOpen();
        if (limit == 0) {
            return List.of();
        }
        try {
            return db.scan(kind, prefix, afterKey, limit);
        } catch (SQLException e) {
            throw unavailable("scan", e);
        }
    }

    @Override
    public int count(String kind, String prefix) {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(prefix);
        checkOpen();
        try {
            return db.count(kind, prefix);
        } catch (SQLException e) {
            throw unavailable("count", e);
        }
    }

    @Override
    public List<Long> commit(List<Mutation> mutations, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Mutation> tx = new ArrayList<>(mutations.size());
        for (Mutation m : mutations) {
            if (m.expectedVersion() < Mutation.ANY) {
                throw new IllegalArgumentException("expected version must be >= -1: " + m);
            }
            tx.add(m); // a Put's value is the store's from here on (Mutation.Put): kept, not copied
        }
        checkOpen();
        if (tx.isEmpty()) {
            return List.of();
        }
        CompletableFuture<List<Long>> result = new CompletableFuture<>();
        writer.submit(new PostgresCommitWriter.Tx(List.copyOf(tx), result), deadline, timeout);
        return await(result, deadline, timeout);
    }

    @Override
    public long lastSequence() {
        checkOpen();
        try {
            return db.lastSequence();
        } catch (SQLException e) {
            throw unavailable("read the change feed", e);
        }
    }

    @Override
    public List<Change> changesSince(long afterSequence, int limit) {
        if (afterSequence < 0 || limit < 0) {
            throw new IllegalArgumentException("afterSequence and limit must not be negative");
        }
        checkOpen();
        PostgresDatabase.FeedRead read;
        try {
            read = db.readChanges(afterSequence, limit);
        } catch (SQLException e) {
            throw unavailable("read the change feed", e);
        }
        if (read.prunedThrough() > read.wipedThrough() && afterSequence < read.prunedThrough()) {
            throw new IllegalStateException("changes after " + afterSequence + " are no longer retained: the"
                    + " change feed keeps the last changes only and has dropped those through "
                    + read.prunedThrough());
        }
        List<Change> changes = read.changes();
        long expectedFirst = Math.max(afterSequence, read.wipedThrough()) + 1;
        if (!changes.isEmpty() && changes.getFirst().sequence() != expectedFirst) {
            throw new StoreUnavailableException("change feed has a gap: expected " + expectedFirst + ", found "
                    + changes.getFirst().sequence());
        }
        return changes;
    }

    @Override
    public AutoCloseable subscribe(long afterSequence, Consumer<Change> listener) {
        Objects.requireNonNull(listener);
        if (afterSequence < 0) {
            throw new IllegalArgumentException("afterSequence must not be negative: " + afterSequence);
        }
        changesSince(afterSequence, 0); // throws now if those changes are gone
        FeedSubscription[] self = new FeedSubscription[1];
        self[0] = new FeedSubscription(this, afterSequence, listener, IDLE_PARK, () -> subscriptions.remove(self[0]));
        subscriptions.add(self[0]);
        self[0].start();
        return self[0];
    }

    private void wakeSubscriptions() {
        for (FeedSubscription s : subscriptions) {
            s.wake();
        }
    }

    @Override
    public void wipe(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        checkOpen();
        CompletableFuture<Void> result = new CompletableFuture<>();
        writer.submit(new PostgresCommitWriter.Wipe(result), deadline, timeout);
        await(result, deadline, timeout);
    }

    /** Finishes the queued commits, stops delivery and the writer, and closes the pool. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        writer.stop();
        notifications.close();
        List.copyOf(subscriptions).forEach(FeedSubscription::close);
        db.close();
        if (!writer.stopped()) {
            throw new IllegalStateException("the state store writer did not stop");
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new StoreUnavailableException("state store is closed");
        }
    }

    private StoreUnavailableException unavailable(String what, SQLException e) {
        if (closed.get()) {
            return new StoreUnavailableException("state store is closed", e);
        }
        return new StoreUnavailableException("state store cannot " + what + " at " + db.url() + ": "
                + e.getMessage(), e);
    }

    private static <T> T await(CompletableFuture<T> result, long deadlineNanos, Duration timeout) {
        try {
            result.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            result.completeExceptionally(new StoreUnavailableException("state store did not answer within "
                    + timeout + "; the transaction may or may not be applied"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.completeExceptionally(new StoreUnavailableException(
                    "interrupted while waiting for the state store; the transaction may or may not be applied", e));
        } catch (ExecutionException e) {
            // the outcome below rethrows it
        }
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new StoreUnavailableException("state store failed: " + e.getCause(), e.getCause());
        }
    }
}
