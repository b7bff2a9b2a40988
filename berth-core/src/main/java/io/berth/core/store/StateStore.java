package io.berth.core.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The durable state of Berth: versioned aggregates grouped by kind, written in atomic transactions
 * with optimistic concurrency, and an ordered change feed.
 *
 * <p>Contract (held by {@code StateStoreContract} for every adapter):
 * <ul>
 *   <li>All methods are thread-safe.</li>
 *   <li>Reads see only committed data; after {@link #commit} returns, every later read on any thread
 *       sees the commit (read-your-writes, linearizable per store). A {@link #scan} or
 *       {@link #count} sees each transaction whole or not at all.</li>
 *   <li>{@link #commit} applies all mutations or none. It throws {@link ConflictException} if any
 *       expectation fails. When it returns normally the transaction is durable: it survives a
 *       {@code kill -9} of the process.</li>
 *   <li>The change feed delivers every committed mutation exactly once per subscriber, in sequence
 *       order, without gaps.</li>
 * </ul>
 */
public interface StateStore extends AutoCloseable {

    Optional<Versioned> get(String kind, String key);

    /**
     * Entries of {@code kind} whose key starts with {@code prefix}, in ascending key order (by
     * UTF-16 code units, as {@link String#compareTo}), beginning after {@code afterKey} (exclusive;
     * null to start at the first), at most {@code limit} of them.
     */
    List<Versioned> scan(String kind, String prefix, String afterKey, int limit);

    /** Number of entries of {@code kind} whose key starts with {@code prefix}. */
    int count(String kind, String prefix);

    /**
     * Applies {@code mutations} atomically and durably. They apply in order: a later mutation of
     * the same key is checked against the state the earlier ones left.
     *
     * @return the new version of each mutated key, in the order of {@code mutations} (0 for a delete)
     * @throws ConflictException if an expectation failed; nothing was applied
     * @throws StoreUnavailableException if the store could not commit within {@code timeout}; the
     *     transaction may or may not have been applied
     */
    List<Long> commit(List<Mutation> mutations, Duration timeout);

    /**
     * Queues {@code mutations} as one transaction and returns before it is applied; {@link
     * Pending#await} gives what {@link #commit} would return or throw. Transactions one thread
     * submits one after another are applied in that order, each checked against the ones before, so a
     * writer may submit the next before the last is durable (pipelining). The default commits at once.
     */
    default Pending submit(List<Mutation> mutations, Duration timeout) {
        try {
            List<Long> versions = commit(mutations, timeout);
            return () -> versions;
        } catch (RuntimeException e) {
            return () -> {
                throw e;
            };
        }
    }

    /** A submitted transaction. */
    @FunctionalInterface
    interface Pending {
        /** Waits for the outcome: the new versions, as {@link #commit} returns them, or its exception. */
        List<Long> await();
    }

    /**
     * Sequence of the last committed change, 0 when there has been none. At least the sequence of
     * every change whose value a read that returned before this call has seen, so that catching up
     * with the feed to it covers whatever the caller has already read.
     */
    long lastSequence();

    /**
     * Committed changes with sequence greater than {@code afterSequence}, at most {@code limit}.
     * Changes removed by {@link #wipe} are skipped silently.
     *
     * <p>An adapter may retain only the most recent changes. Asking for changes after a sequence
     * whose successors it no longer retains throws {@link IllegalStateException}. The caller then
     * rebuilds: it notes {@link #lastSequence}, {@link #scan}s the current entries and continues
     * after the noted sequence (so it may see a change both in the scan and in the feed).
     */
    List<Change> changesSince(long afterSequence, int limit);

    /**
     * Hands {@code each} the committed changes after {@code afterSequence} through {@code upTo}, in
     * order, reading them {@code batch} at a time: how a reader kept in memory catches up with the
     * feed. Returns the sequence it has caught up to ({@code upTo}, also when a wipe removed the
     * changes in between). Throws as {@link #changesSince} when they are no longer retained.
     */
    default long catchUp(long afterSequence, long upTo, int batch, java.util.function.Consumer<Change> each) {
        long cursor = afterSequence;
        while (cursor < upTo) {
            List<Change> changes = changesSince(cursor, batch);
            if (changes.isEmpty()) {
                return upTo; // wiped: nothing is left to read up to there
            }
            for (Change c : changes) {
                if (c.sequence() > upTo) {
                    return cursor;
                }
                each.accept(c);
                cursor = c.sequence();
            }
        }
        return cursor;
    }

    /**
     * Delivers every change after {@code afterSequence}, then each new one as it commits, to
     * {@code listener} on a thread of the store, in order. A listener must not block for long.
     * If it throws, the change counts as delivered and delivery goes on. Closing the returned
     * handle stops delivery.
     *
     * @throws IllegalStateException if the changes after {@code afterSequence} are no longer
     *     retained (see {@link #changesSince})
     */
    AutoCloseable subscribe(long afterSequence, Consumer<Change> listener);

    /** Removes every entry and every change (the change sequence keeps counting). */
    void wipe(Duration timeout);

    @Override
    void close();
}
