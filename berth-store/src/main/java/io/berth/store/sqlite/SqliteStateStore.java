package io.berth.store.sqlite;

import io.berth.core.store.Change;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.StoreUnavailableException;
import io.berth.core.store.Versioned;
import io.berth.store.feed.FeedSubscription;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * The default {@link StateStore}: an embedded SQLite database in WAL mode with
 * {@code synchronous=FULL}, fronted by an in-memory copy of everything committed.
 *
 * <pre>
 *  &lt;directory&gt;/
 *    berth.db, berth.db-wal, berth.db-shm   SQLite database (tables: see V1__init.sql)
 *    berth.lock                             held while open: one process per directory
 *
 *  reads ───────────────▶ CommittedView (entries per kind, recent-change ring)
 *  commit ──▶ queue ──▶ GroupCommitWriter ──▶ SqliteDatabase (1 transaction + 1 fsync per batch)
 *                              └──────────▶ CommittedView.publish ──▶ futures ──▶ FeedSubscriptions
 *  WalCheckpointer ─────────────────────────▶ copies the WAL into berth.db off the commit path
 * </pre>
 *
 * <p>Reads ({@link #get}, {@link #scan}, {@link #count}, recent {@link #changesSince}) are served
 * from memory; the database is read only at open and for changes older than the ring. Every write
 * goes through a single writer thread that commits whole batches of transactions at once (group
 * commit), so many concurrent committers share each fsync. All methods are thread-safe.
 *
 * <p>The change feed keeps the last {@code retainedChanges} changes (default
 * {@value #DEFAULT_RETAINED_CHANGES}); {@link #changesSince} and {@link #subscribe} throw
 * {@link IllegalStateException} for a sequence older than that, and a subscription that falls that
 * far behind stops with an error in the log.
 */
public final class SqliteStateStore implements StateStore {

    public static final String DATABASE_FILE = "berth.db";
    public static final String LOCK_FILE = "berth.lock";
    public static final int DEFAULT_RETAINED_CHANGES = 100_000;

    private static final int MAX_BATCH = 512;
    private static final int QUEUE_CAPACITY = 8_192;
    private static final int MAX_RING = 8_192;
    private static final Duration IDLE_PARK = Duration.ofMillis(100);

    private final Path directory;
    private final FileChannel lockChannel;
    private final SqliteDatabase db;
    private final CommittedView view;
    private final WalCheckpointer checkpointer;
    private final GroupCommitWriter writer;
    private final Set<FeedSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Opens the store in {@code directory}, creating the directory and database if needed. */
    public static SqliteStateStore open(Path directory) {
        return open(directory, DEFAULT_RETAINED_CHANGES);
    }

    /**
     * Opens the store in {@code directory}, keeping the last {@code retainedChanges} changes.
     *
     * @throws IllegalStateException if another store (in this or another process) has it open
     * @throws StoreUnavailableException if the database cannot be opened or read
     */
    public static SqliteStateStore open(Path directory, int retainedChanges) {
        if (retainedChanges < 1) {
            throw new IllegalArgumentException("retainedChanges must be positive: " + retainedChanges);
        }
        FileChannel lock = lockDirectory(directory);
        try {
            return new SqliteStateStore(directory, lock, retainedChanges);
        } catch (RuntimeException e) {
            closeQuietly(lock, e);
            throw e;
        }
    }

    private SqliteStateStore(Path directory, FileChannel lockChannel, int retainedChanges) {
        this.directory = directory;
        this.lockChannel = lockChannel;
        this.view = new CommittedView(Integer.highestOneBit(Math.min(MAX_RING, retainedChanges)));
        try {
            this.db = SqliteDatabase.open(directory.resolve(DATABASE_FILE));
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot open the state store in " + directory + ": " + e, e);
        }
        try {
            SqliteDatabase.Counters counters = db.counters();
            db.loadEntities(view::load);
            view.loadCounters(counters.lastSequence(), counters.wipedThrough(), counters.prunedThrough());
            long ringFrom = Math.max(Math.max(counters.wipedThrough(), counters.prunedThrough()),
                    counters.lastSequence() - view.ringSize());
            view.loadRecent(db.readChanges(ringFrom, counters.lastSequence(), view.ringSize()));
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw new StoreUnavailableException("cannot load the state store in " + directory + ": " + e, e);
        }
        this.checkpointer = new WalCheckpointer(db);
        this.writer = new GroupCommitWriter(db, view, checkpointer, this::wakeSubscriptions, MAX_BATCH,
                QUEUE_CAPACITY, retainedChanges);
        checkpointer.start();
        writer.start();
    }

    private static FileChannel lockDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
            FileChannel channel = FileChannel.open(directory.resolve(LOCK_FILE),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("the state store in " + directory + " is already open");
            }
            return channel;
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot create or lock the state store directory " + directory
                    + ": " + e, e);
        }
    }

    /** The directory this store keeps its files in. */
    public Path directory() {
        return directory;
    }

    @Override
    public Optional<Versioned> get(String kind, String key) {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(key);
        return Optional.ofNullable(view.get(kind, key));
    }

    @Override
    public List<Versioned> scan(String kind, String prefix, String afterKey, int limit) {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(prefix);
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        return view.scan(kind, prefix, afterKey, limit);
    }

    @Override
    public int count(String kind, String prefix) {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(prefix);
        return view.count(kind, prefix);
    }

    @Override
    public List<Long> commit(List<Mutation> mutations, Duration timeout) {
        return submit(mutations, timeout).await();
    }

    @Override
    public Pending submit(List<Mutation> mutations, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Mutation> tx = new ArrayList<>(mutations.size());
        for (Mutation m : mutations) {
            if (m.expectedVersion() < Mutation.ANY) {
                throw new IllegalArgumentException("expected version must be >= -1: " + m);
            }
            tx.add(m); // a Put's value is the store's from here on (Mutation.Put): kept, not copied
        }
        if (closed.get()) {
            throw new StoreUnavailableException("state store is closed");
        }
        if (tx.isEmpty()) {
            return List::of;
        }
        CompletableFuture<List<Long>> result = new CompletableFuture<>();
        writer.submit(new GroupCommitWriter.Tx(List.copyOf(tx), result), deadline, timeout);
        return () -> await(result, deadline, timeout);
    }

    @Override
    public long lastSequence() {
        return view.lastSequence();
    }

    @Override
    public List<Change> changesSince(long afterSequence, int limit) {
        if (afterSequence < 0 || limit < 0) {
            throw new IllegalArgumentException("afterSequence and limit must not be negative");
        }
        long from = feedStart(afterSequence);
        List<Change> recent = view.recentChanges(from, limit);
        return recent != null ? recent : readFromDatabase(afterSequence, limit);
    }

    /** Where a read after {@code afterSequence} starts; throws if changes it needs were pruned. */
    private long feedStart(long afterSequence) {
        long wiped = view.wipedThrough();
        long pruned = view.prunedThrough();
        if (pruned > wiped && afterSequence < pruned) {
            throw new IllegalStateException("changes after " + afterSequence + " are no longer retained: the"
                    + " change feed keeps the last changes only and has dropped those through " + pruned);
        }
        return Math.max(afterSequence, wiped);
    }

    private List<Change> readFromDatabase(long afterSequence, int limit) {
        synchronized (db) { // the writer prunes and wipes under this monitor: floors stay put
            long from = feedStart(afterSequence);
            long through = view.lastSequence();
            try {
                List<Change> rows = db.readChanges(from, through, limit);
                boolean dense = rows.isEmpty()
                        ? from >= through || limit == 0
                        : rows.getFirst().sequence() == from + 1;
                if (!dense) {
                    throw new StoreUnavailableException("change feed has a gap after " + from + " in " + directory);
                }
                return rows;
            } catch (SQLException e) {
                throw new StoreUnavailableException("cannot read the change feed: " + e, e);
            }
        }
    }

    @Override
    public AutoCloseable subscribe(long afterSequence, Consumer<Change> listener) {
        Objects.requireNonNull(listener);
        if (afterSequence < 0) {
            throw new IllegalArgumentException("afterSequence must not be negative: " + afterSequence);
        }
        if (closed.get()) {
            throw new StoreUnavailableException("state store is closed");
        }
        feedStart(afterSequence);
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
        if (closed.get()) {
            throw new StoreUnavailableException("state store is closed");
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        writer.submit(new GroupCommitWriter.Wipe(result), deadline, timeout);
        await(result, deadline, timeout);
    }

    /** Finishes the queued commits, stops delivery and the writer, and closes the database. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        RuntimeException failure = new IllegalStateException("closing the state store in " + directory);
        writer.stop();
        checkpointer.stop();
        List.copyOf(subscriptions).forEach(FeedSubscription::close);
        if (writer.stopped() && checkpointer.stopped()) {
            try {
                db.close();
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        } else {
            failure.addSuppressed(new IllegalStateException("a store thread did not stop; database left open"));
        }
        closeQuietly(lockChannel, failure);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
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

    private static void closeQuietly(FileChannel channel, RuntimeException failure) {
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
