package io.berth.store.sqlite;

import io.berth.core.store.Change;
import io.berth.core.store.Versioned;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Supplier;

/**
 * Everything committed, in memory: every live entry per kind, the most recent changes in a ring, and
 * the feed's counters. Reads never touch SQLite.
 *
 * <p>Thread-safety: only the writer thread (and {@link SqliteStateStore#open} before it starts)
 * calls the mutators ({@link #load}, {@link #publish}, {@link #wipe}, the floor setters). Any thread
 * may read. A publish holds the write side of a {@link StampedLock}; scans and counts validate an
 * optimistic read against it (falling back to the read lock), so they see whole batches, and with
 * them whole transactions. {@link #get} needs no lock: one key changes atomically.
 *
 * <p>Ring: slot {@code seq & mask} holds change {@code seq} until change {@code seq + ring size}
 * overwrites it. The writer fills slots before it advances the volatile {@link #lastSequence}, so a
 * reader that saw a sequence sees its slot, and detects an overwrite by the slot's sequence.
 */
final class CommittedView {

    private final Map<String, ConcurrentSkipListMap<String, Versioned>> kinds = new ConcurrentHashMap<>();
    /** The same entries by key alone, for point reads (a skip list costs a string compare per level). */
    private final Map<String, ConcurrentHashMap<String, Versioned>> byKey = new ConcurrentHashMap<>();
    private final StampedLock publishing = new StampedLock();
    private final Change[] ring;
    private final int mask;
    private volatile long lastSequence;
    private volatile long wipedThrough;
    private volatile long prunedThrough;

    /** @param ringSize how many recent changes to keep in memory; a power of two */
    CommittedView(int ringSize) {
        if (Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("ring size must be a power of two: " + ringSize);
        }
        this.ring = new Change[ringSize];
        this.mask = ringSize - 1;
    }

    int ringSize() {
        return ring.length;
    }

    // ---- reads, any thread ----

    Versioned get(String kind, String key) {
        ConcurrentHashMap<String, Versioned> entries = byKey.get(kind);
        return entries == null ? null : entries.get(key);
    }

    List<Versioned> scan(String kind, String prefix, String afterKey, int limit) {
        return consistently(() -> {
            List<Versioned> result = new ArrayList<>(Math.min(limit, 64));
            for (Versioned v : range(kind, prefix, afterKey).values()) {
                if (result.size() == limit || !v.key().startsWith(prefix)) {
                    break;
                }
                result.add(v);
            }
            return result;
        });
    }

    int count(String kind, String prefix) {
        return consistently(() -> {
            int n = 0;
            for (String key : range(kind, prefix, null).keySet()) {
                if (!key.startsWith(prefix)) {
                    break;
                }
                n++;
            }
            return n;
        });
    }

    private NavigableMap<String, Versioned> range(String kind, String prefix, String afterKey) {
        ConcurrentSkipListMap<String, Versioned> entries = kinds.get(kind);
        if (entries == null) {
            return new ConcurrentSkipListMap<>();
        }
        return afterKey != null && afterKey.compareTo(prefix) >= 0
                ? entries.tailMap(afterKey, false)
                : entries.tailMap(prefix, true);
    }

    private <T> T consistently(Supplier<T> read) {
        long stamp = publishing.tryOptimisticRead();
        if (stamp != 0) {
            T result = read.get();
            if (publishing.validate(stamp)) {
                return result;
            }
        }
        stamp = publishing.readLock();
        try {
            return read.get();
        } finally {
            publishing.unlockRead(stamp);
        }
    }

    /**
     * The last published sequence, waiting for a publication in progress: a point read may already
     * return an entry of a batch whose sequence is not yet published, and a caller that saw that
     * entry must not be told an earlier sequence (it would catch up short of the entry's change).
     */
    long lastSequence() {
        long stamp = publishing.tryOptimisticRead();
        long last = lastSequence;
        if (stamp != 0 && publishing.validate(stamp)) {
            return last;
        }
        stamp = publishing.readLock();
        try {
            return lastSequence;
        } finally {
            publishing.unlockRead(stamp);
        }
    }

    long wipedThrough() {
        return wipedThrough;
    }

    long prunedThrough() {
        return prunedThrough;
    }

    /**
     * The changes after {@code after}, at most {@code limit}, if the ring still holds all of them;
     * null if some are older than the ring (read them from the database then).
     */
    List<Change> recentChanges(long after, int limit) {
        long last = lastSequence;
        if (after >= last || limit == 0) {
            return List.of();
        }
        long end = Math.min(last, after + limit);
        if (after < last - ring.length) {
            return null;
        }
        List<Change> result = new ArrayList<>((int) (end - after));
        for (long seq = after + 1; seq <= end; seq++) {
            Change c = ring[(int) (seq & mask)];
            if (c == null || c.sequence() != seq) {
                return null;
            }
            result.add(c);
        }
        return result;
    }

    // ---- mutators, writer thread only ----

    void load(Versioned entry) {
        entries(entry.kind()).put(entry.key(), entry);
        points(entry.kind()).put(entry.key(), entry);
    }

    void loadCounters(long lastSequence, long wipedThrough, long prunedThrough) {
        this.wipedThrough = wipedThrough;
        this.prunedThrough = prunedThrough;
        this.lastSequence = lastSequence;
    }

    /** Fills the ring with recent changes read at open; they must be in order and end at lastSequence. */
    void loadRecent(List<Change> changes) {
        for (Change c : changes) {
            ring[(int) (c.sequence() & mask)] = c;
        }
    }

    /** Makes a committed batch visible: entries, ring, then the sequence, as one step for scans. */
    void publish(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        long stamp = publishing.writeLock();
        try {
            for (Change c : changes) {
                if (c.deleted()) {
                    entries(c.kind()).remove(c.key());
                    points(c.kind()).remove(c.key());
                } else {
                    Versioned v = new Versioned(c.kind(), c.key(), c.version(), c.value());
                    entries(c.kind()).put(c.key(), v);
                    points(c.kind()).put(c.key(), v);
                }
                ring[(int) (c.sequence() & mask)] = c;
            }
            lastSequence = changes.getLast().sequence();
        } finally {
            publishing.unlockWrite(stamp);
        }
    }

    /** Forgets every entry and change; the sequence stays. */
    void wipe() {
        long stamp = publishing.writeLock();
        try {
            kinds.clear();
            byKey.clear();
            Arrays.fill(ring, null);
            wipedThrough = lastSequence;
        } finally {
            publishing.unlockWrite(stamp);
        }
    }

    void setPrunedThrough(long sequence) {
        prunedThrough = sequence;
    }

    private ConcurrentSkipListMap<String, Versioned> entries(String kind) {
        return kinds.computeIfAbsent(kind, k -> new ConcurrentSkipListMap<>());
    }

    private ConcurrentHashMap<String, Versioned> points(String kind) {
        return byKey.computeIfAbsent(kind, k -> new ConcurrentHashMap<>());
    }
}
