package io.berth.testkit.store;

import io.berth.core.store.Change;
import io.berth.core.store.ConflictException;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.StoreUnavailableException;
import io.berth.core.store.Versioned;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * The fake {@link StateStore}: everything in memory, nothing durable. It passes
 * {@link StateStoreContract} and can be put into a fault {@link Mode} to test how callers cope with
 * a broken or slow store.
 *
 * <p>Thread-safety: all methods may be called from any thread. Commits and wipes take one write
 * lock, reads take the read lock, so every read sees whole transactions. Each subscription has its
 * own delivery thread that pulls from the retained change list.
 */
public final class InMemoryStateStore implements StateStore {

    /** Fault modes. Only {@link #commit} and {@link #wipe} are affected; reads always work. */
    public enum Mode {
        /** Commits behave. */
        NORMAL,
        /** Commits and wipes throw {@link StoreUnavailableException} and apply nothing. */
        BROKEN,
        /**
         * Commits and wipes first wait {@link #slowness()}; one whose timeout is shorter waits its
         * timeout, then throws {@link StoreUnavailableException} and applies nothing.
         */
        SLOW
    }

    private static final System.Logger LOG = System.getLogger(InMemoryStateStore.class.getName());

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, TreeMap<String, Versioned>> kinds = new HashMap<>();
    /** Changes {@code wipedThrough + 1 .. lastSequence}, in order. Guarded by {@link #lock}. */
    private final List<Change> changes = new ArrayList<>();
    private final Set<FeedSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private long wipedThrough;
    private volatile long lastSequence;
    private volatile Mode mode = Mode.NORMAL;
    private volatile Duration slowness = Duration.ofMillis(200);
    private volatile boolean closed;

    public Mode mode() {
        return mode;
    }

    public void setMode(Mode mode) {
        this.mode = Objects.requireNonNull(mode);
    }

    public Duration slowness() {
        return slowness;
    }

    /** How long a commit waits in {@link Mode#SLOW}. */
    public void setSlowness(Duration slowness) {
        if (slowness.isNegative()) {
            throw new IllegalArgumentException("slowness must not be negative: " + slowness);
        }
        this.slowness = slowness;
    }

    @Override
    public Optional<Versioned> get(String kind, String key) {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(key);
        lock.readLock().lock();
        try {
            TreeMap<String, Versioned> entries = kinds.get(kind);
            return entries == null ? Optional.empty() : Optional.ofNullable(entries.get(key));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Versioned> scan(String kind, String prefix, String afterKey, int limit) {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(prefix);
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        lock.readLock().lock();
        try {
            List<Versioned> result = new ArrayList<>(Math.min(limit, 64));
            for (Versioned v : range(kind, prefix, afterKey).values()) {
                if (result.size() == limit || !v.key().startsWith(prefix)) {
                    break;
                }
                result.add(v);
            }
            return result;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public int count(String kind, String prefix) {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(prefix);
        lock.readLock().lock();
        try {
            int n = 0;
            for (String key : range(kind, prefix, null).keySet()) {
                if (!key.startsWith(prefix)) {
                    break;
                }
                n++;
            }
            return n;
        } finally {
            lock.readLock().unlock();
        }
    }

    private NavigableMap<String, Versioned> range(String kind, String prefix, String afterKey) {
        TreeMap<String, Versioned> entries = kinds.get(kind);
        if (entries == null) {
            return new TreeMap<>();
        }
        return afterKey != null && afterKey.compareTo(prefix) >= 0
                ? entries.tailMap(afterKey, false)
                : entries.tailMap(prefix, true);
    }

    @Override
    public List<Long> commit(List<Mutation> mutations, Duration timeout) {
        List<Mutation> tx = List.copyOf(mutations);
        for (Mutation m : tx) {
            if (m.expectedVersion() < Mutation.ANY) {
                throw new IllegalArgumentException("expected version must be >= -1: " + m);
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        checkHealthy(timeout);
        List<Long> versions;
        List<Change> staged = new ArrayList<>();
        lockForWrite(deadline);
        try {
            versions = stage(tx, staged);
            for (Change c : staged) {
                apply(c);
            }
        } finally {
            lock.writeLock().unlock();
        }
        if (!staged.isEmpty()) {
            subscriptions.forEach(FeedSubscription::wake);
        }
        return versions;
    }

    /** Checks {@code tx} against the current state; fills {@code staged} or throws a conflict. */
    private List<Long> stage(List<Mutation> tx, List<Change> staged) {
        Map<String, Versioned> local = new HashMap<>();
        List<Long> versions = new ArrayList<>(tx.size());
        long seq = lastSequence;
        for (Mutation m : tx) {
            String ref = m.kind() + '\u0000' + m.key();
            Versioned current = local.containsKey(ref) ? local.get(ref) : peek(m.kind(), m.key());
            long actual = current == null ? Mutation.ABSENT : current.version();
            if (m.expectedVersion() != Mutation.ANY && m.expectedVersion() != actual) {
                throw new ConflictException(m.kind(), m.key(), m.expectedVersion(), actual);
            }
            switch (m) {
                case Mutation.Put put -> {
                    byte[] value = put.value().clone();
                    local.put(ref, new Versioned(m.kind(), m.key(), actual + 1, value));
                    staged.add(new Change(++seq, m.kind(), m.key(), actual + 1, value));
                    versions.add(actual + 1);
                }
                case Mutation.Delete delete -> {
                    if (current != null) {
                        local.put(ref, null);
                        staged.add(new Change(++seq, m.kind(), m.key(), actual, null));
                    }
                    versions.add(0L);
                }
            }
        }
        return List.copyOf(versions);
    }

    private Versioned peek(String kind, String key) {
        TreeMap<String, Versioned> entries = kinds.get(kind);
        return entries == null ? null : entries.get(key);
    }

    private void apply(Change c) {
        TreeMap<String, Versioned> entries = kinds.computeIfAbsent(c.kind(), k -> new TreeMap<>());
        if (c.deleted()) {
            entries.remove(c.key());
        } else {
            entries.put(c.key(), new Versioned(c.kind(), c.key(), c.version(), c.value()));
        }
        changes.add(c);
        lastSequence = c.sequence();
    }

    @Override
    public long lastSequence() {
        return lastSequence;
    }

    @Override
    public List<Change> changesSince(long afterSequence, int limit) {
        if (afterSequence < 0 || limit < 0) {
            throw new IllegalArgumentException("afterSequence and limit must not be negative");
        }
        lock.readLock().lock();
        try {
            long from = Math.max(afterSequence, wipedThrough);
            if (from >= lastSequence) {
                return List.of();
            }
            int start = (int) (from - wipedThrough);
            int end = (int) Math.min(changes.size(), start + (long) limit);
            return List.copyOf(changes.subList(start, end));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public AutoCloseable subscribe(long afterSequence, Consumer<Change> listener) {
        Objects.requireNonNull(listener);
        if (afterSequence < 0) {
            throw new IllegalArgumentException("afterSequence must not be negative: " + afterSequence);
        }
        if (closed) {
            throw new StoreUnavailableException("state store is closed");
        }
        FeedSubscription sub = new FeedSubscription(afterSequence, listener);
        subscriptions.add(sub);
        sub.start();
        return sub;
    }

    @Override
    public void wipe(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        checkHealthy(timeout);
        lockForWrite(deadline);
        try {
            kinds.clear();
            changes.clear();
            wipedThrough = lastSequence;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        subscriptions.forEach(FeedSubscription::close);
    }

    private void checkHealthy(Duration timeout) {
        if (closed) {
            throw new StoreUnavailableException("state store is closed");
        }
        switch (mode) {
            case NORMAL -> { }
            case BROKEN -> throw new StoreUnavailableException("state store is broken (fault mode)");
            case SLOW -> {
                Duration delay = slowness;
                boolean tooSlow = delay.compareTo(timeout) > 0;
                sleep(tooSlow ? timeout : delay);
                if (tooSlow) {
                    throw new StoreUnavailableException("state store is slow (fault mode): no answer within "
                            + timeout);
                }
            }
        }
    }

    private void lockForWrite(long deadlineNanos) {
        try {
            long remaining = Math.max(0, deadlineNanos - System.nanoTime());
            if (!lock.writeLock().tryLock(remaining, TimeUnit.NANOSECONDS)) {
                throw new StoreUnavailableException("state store busy: timed out waiting for the write lock");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for the state store", e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for the state store", e);
        }
    }

    /** One subscriber's delivery thread: pulls retained changes after its cursor, parks when idle. */
    private final class FeedSubscription implements AutoCloseable, Runnable {
        private final Consumer<Change> listener;
        private final Thread thread;
        private volatile boolean open = true;
        private long cursor;

        FeedSubscription(long afterSequence, Consumer<Change> listener) {
            this.cursor = afterSequence;
            this.listener = listener;
            this.thread = Thread.ofPlatform().daemon().name("in-memory-store-feed").unstarted(this);
        }

        void start() {
            thread.start();
        }

        void wake() {
            LockSupport.unpark(thread);
        }

        @Override
        public void run() {
            while (open) {
                List<Change> batch = changesSince(cursor, 256);
                if (batch.isEmpty()) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                    continue;
                }
                for (Change c : batch) {
                    if (!open) {
                        return;
                    }
                    try {
                        listener.accept(c);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "change listener failed on " + c.sequence(), e);
                    }
                    cursor = c.sequence();
                }
            }
        }

        @Override
        public void close() {
            open = false;
            subscriptions.remove(this);
            wake();
            if (Thread.currentThread() != thread) {
                try {
                    thread.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
