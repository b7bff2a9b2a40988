package io.berth.store.sqlite;

import io.berth.core.store.Change;
import io.berth.core.store.ConflictException;
import io.berth.core.store.Mutation;
import io.berth.core.store.StoreUnavailableException;
import io.berth.core.store.Versioned;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes: group commit over a queue of transactions.
 *
 * <pre>
 *  committers ──offer──▶ [ queue ] ──drain ≤ maxBatch──▶ writer thread
 *                                                          1. check each transaction against
 *                                                             view + earlier ones of the batch
 *                                                             (a conflict is left out)
 *                                                          2. one SQLite transaction, one fsync
 *                                                          3. publish to the CommittedView
 *                                                          4. complete the futures
 *                                                          5. wake the feed subscriptions
 *                                                          6. between batches: finish a WAL
 *                                                             checkpoint if asked ({@link WalCheckpointer})
 * </pre>
 *
 * If step 2 fails the whole batch fails with {@link StoreUnavailableException} and nothing is
 * published. If the database then no longer matches the view (the commit reached the disk after
 * all), the writer refuses every later job: the store must be reopened.
 *
 * <p>Thread-safety: {@link #submit} and {@link #stop} are called by any thread; everything else runs
 * on the writer thread, which is the only one to touch the write connection and mutate the view.
 */
final class GroupCommitWriter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    sealed interface Job permits Tx, Wipe, Stop {
    }

    record Tx(List<Mutation> mutations, CompletableFuture<List<Long>> result) implements Job {
    }

    record Wipe(CompletableFuture<Void> result) implements Job {
    }

    private record Stop() implements Job {
    }

    private record Ref(String kind, String key) {
    }

    private final SqliteDatabase db;
    private final CommittedView view;
    private final WalCheckpointer checkpointer;
    private final Runnable afterPublish;
    private final int maxBatch;
    private final long retainedChanges;
    private final BlockingQueue<Job> queue;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile String diverged;

    GroupCommitWriter(SqliteDatabase db, CommittedView view, WalCheckpointer checkpointer,
            Runnable afterPublish, int maxBatch, int queueCapacity, long retainedChanges) {
        this.db = db;
        this.view = view;
        this.checkpointer = checkpointer;
        this.afterPublish = afterPublish;
        this.maxBatch = maxBatch;
        this.retainedChanges = retainedChanges;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.thread = Thread.ofPlatform().daemon().name("berth-store-writer").unstarted(this);
    }

    void start() {
        thread.start();
    }

    /** Queues {@code job}, waiting for room until {@code deadlineNanos}. */
    void submit(Job job, long deadlineNanos, Duration timeout) {
        checkOpen();
        try {
            long wait = Math.max(0, deadlineNanos - System.nanoTime());
            if (!queue.offer(job, wait, TimeUnit.NANOSECONDS)) {
                throw new StoreUnavailableException("state store busy: no room in the commit queue within "
                        + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while queueing a commit", e);
        }
        if (stopping && queue.remove(job)) {
            throw closed();
        }
    }

    /** Lets the queued jobs finish, stops the thread, fails whatever arrived too late. */
    void stop() {
        stopping = true;
        queue.offer(new Stop());
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Job> late = new ArrayList<>();
        queue.drainTo(late);
        late.forEach(job -> fail(job, closed()));
    }

    boolean stopped() {
        return !thread.isAlive();
    }

    private void checkOpen() {
        if (stopping) {
            throw closed();
        }
        String reason = diverged;
        if (reason != null) {
            throw new StoreUnavailableException(reason);
        }
    }

    private static StoreUnavailableException closed() {
        return new StoreUnavailableException("state store is closed");
    }

    @Override
    public void run() {
        List<Job> batch = new ArrayList<>(maxBatch);
        while (true) {
            Job first;
            try {
                first = stopping ? queue.poll() : queue.take();
            } catch (InterruptedException e) {
                continue;
            }
            if (first == null) {
                return;
            }
            batch.add(first);
            queue.drainTo(batch, maxBatch - 1);
            try {
                process(batch);
            } catch (RuntimeException | Error e) {
                LOG.error("state store writer failed on a batch of {} jobs", batch.size(), e);
                StoreUnavailableException failure =
                        new StoreUnavailableException("state store writer failed: " + e, e);
                batch.forEach(job -> fail(job, failure));
                checkStillMatches();
            }
            batch.clear();
            checkpointer.finishIfAsked();
        }
    }

    private void process(List<Job> batch) {
        if (diverged != null) {
            batch.forEach(job -> fail(job, new StoreUnavailableException(diverged)));
            return;
        }
        List<Tx> group = new ArrayList<>();
        for (Job job : batch) {
            switch (job) {
                case Tx tx -> group.add(tx);
                case Wipe wipe -> {
                    commitGroup(group);
                    group.clear();
                    wipe(wipe);
                }
                case Stop stop -> { }
            }
        }
        commitGroup(group);
    }

    /** The outcome of staging one transaction: its versions and changes, or its conflict. */
    private record Staged(Tx tx, List<Long> versions, ConflictException conflict) {
    }

    private void commitGroup(List<Tx> group) {
        if (group.isEmpty()) {
            return;
        }
        Map<Ref, Versioned> batchState = new HashMap<>();
        List<Change> changes = new ArrayList<>();
        List<Staged> outcomes = new ArrayList<>(group.size());
        long seq = view.lastSequence();
        for (Tx tx : group) {
            if (tx.result().isDone()) {
                continue; // its committer gave up waiting; leave it out
            }
            Map<Ref, Versioned> txState = new HashMap<>();
            List<Change> txChanges = new ArrayList<>();
            try {
                List<Long> versions = stage(tx.mutations(), batchState, txState, txChanges, seq);
                batchState.putAll(txState);
                changes.addAll(txChanges);
                seq += txChanges.size();
                outcomes.add(new Staged(tx, versions, null));
            } catch (ConflictException e) {
                outcomes.add(new Staged(tx, null, e));
            }
        }
        if (!changes.isEmpty() && !persist(changes, seq, outcomes)) {
            return;
        }
        view.publish(changes);
        for (Staged s : outcomes) {
            if (s.conflict() == null) {
                s.tx().result().complete(s.versions());
            } else {
                s.tx().result().completeExceptionally(s.conflict());
            }
        }
        if (!changes.isEmpty()) {
            afterPublish.run();
        }
    }

    /**
     * Checks one transaction's expectations, each mutation against the state left by the earlier
     * ones: its own ({@code txState}), the batch's ({@code batchState}), then the committed view. A
     * null value in a state map is a deletion.
     */
    private List<Long> stage(List<Mutation> mutations, Map<Ref, Versioned> batchState,
            Map<Ref, Versioned> txState, List<Change> txChanges, long seq) {
        List<Long> versions = new ArrayList<>(mutations.size());
        for (Mutation m : mutations) {
            Ref ref = new Ref(m.kind(), m.key());
            Versioned current = txState.containsKey(ref) ? txState.get(ref)
                    : batchState.containsKey(ref) ? batchState.get(ref)
                    : view.get(m.kind(), m.key());
            long actual = current == null ? Mutation.ABSENT : current.version();
            if (m.expectedVersion() != Mutation.ANY && m.expectedVersion() != actual) {
                throw new ConflictException(m.kind(), m.key(), m.expectedVersion(), actual);
            }
            switch (m) {
                case Mutation.Put put -> {
                    txState.put(ref, new Versioned(m.kind(), m.key(), actual + 1, put.value()));
                    txChanges.add(new Change(++seq, m.kind(), m.key(), actual + 1, put.value()));
                    versions.add(actual + 1);
                }
                case Mutation.Delete delete -> {
                    if (current != null) {
                        txState.put(ref, null);
                        txChanges.add(new Change(++seq, m.kind(), m.key(), actual, null));
                    }
                    versions.add(0L);
                }
            }
        }
        return List.copyOf(versions);
    }

    /** Writes and commits the batch; on failure fails all of {@code outcomes} and returns false. */
    private boolean persist(List<Change> changes, long lastSequence, List<Staged> outcomes) {
        long pruneThrough = lastSequence - view.prunedThrough() > retainedChanges + pruneSlack()
                ? lastSequence - retainedChanges
                : 0;
        try {
            if (pruneThrough > 0) {
                synchronized (db) {
                    db.write(changes, lastSequence, pruneThrough);
                    view.setPrunedThrough(pruneThrough);
                }
            } else {
                db.write(changes, lastSequence, 0);
            }
            checkpointer.written();
            return true;
        } catch (Exception e) {
            LOG.error("state store commit of {} changes failed", changes.size(), e);
            StoreUnavailableException failure = new StoreUnavailableException("state store commit failed: " + e, e);
            outcomes.forEach(s -> s.tx().result().completeExceptionally(failure));
            checkStillMatches();
            return false;
        }
    }

    private long pruneSlack() {
        return Math.max(1, retainedChanges / 10);
    }

    private void wipe(Wipe job) {
        try {
            synchronized (db) {
                db.wipe(view.lastSequence());
                view.wipe();
            }
            job.result().complete(null);
        } catch (Exception e) {
            LOG.error("state store wipe failed", e);
            job.result().completeExceptionally(new StoreUnavailableException("state store wipe failed: " + e, e));
            checkStillMatches();
        }
    }

    /** After a failed write: if the database holds something the view does not, stop accepting work. */
    private void checkStillMatches() {
        try {
            SqliteDatabase.Counters committed = db.committedCounters();
            if (committed.lastSequence() != view.lastSequence()
                    || committed.wipedThrough() != view.wipedThrough()) {
                diverge("state store database is at " + committed + " but memory at sequence "
                        + view.lastSequence() + ", wiped through " + view.wipedThrough() + "; reopen the store");
            }
        } catch (Exception e) {
            diverge("state store database cannot be read after a failed commit (" + e + "); reopen the store");
        }
    }

    private void diverge(String reason) {
        LOG.error(reason);
        diverged = reason;
    }

    private static void fail(Job job, StoreUnavailableException failure) {
        switch (job) {
            case Tx tx -> tx.result().completeExceptionally(failure);
            case Wipe wipe -> wipe.result().completeExceptionally(failure);
            case Stop stop -> { }
        }
    }
}
