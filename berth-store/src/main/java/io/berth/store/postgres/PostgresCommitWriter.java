package io.berth.store.postgres;

import io.berth.core.store.Mutation;
import io.berth.core.store.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's one writing thread: group commit over a queue of transactions.
 *
 * <pre>
 *  committers ──offer──▶ [ queue ] ──drain ≤ maxBatch──▶ writer thread
 *                                                          one PostgreSQL transaction per batch:
 *                                                          lock berth_feed, read versions,
 *                                                          {@link BatchStaging} (a conflict is left out),
 *                                                          write, NOTIFY, commit (one WAL flush)
 *                                                          then complete the futures, wake subscriptions
 * </pre>
 *
 * Batching matters here more than in SQLite: writers of all processes take turns on the feed row,
 * each turn costing round trips and a WAL flush, so a process spends one turn on many commits. If a
 * batch's transaction fails, all of its commits fail with {@link StoreUnavailableException}; nothing
 * is cached in this process, so there is nothing to get out of step, and the next batch goes on.
 *
 * <p>Thread-safety: {@link #submit} and {@link #stop} are called by any thread; the rest runs on the
 * writer thread.
 */
final class PostgresCommitWriter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresCommitWriter.class);

    sealed interface Job permits Tx, Wipe, Stop {
    }

    record Tx(List<Mutation> mutations, CompletableFuture<List<Long>> result) implements Job {
    }

    record Wipe(CompletableFuture<Void> result) implements Job {
    }

    private record Stop() implements Job {
    }

    private final PostgresDatabase db;
    private final Runnable afterCommit;
    private final int maxBatch;
    private final long retainedChanges;
    private final BlockingQueue<Job> queue;
    private final Thread thread;
    private volatile boolean stopping;

    PostgresCommitWriter(PostgresDatabase db, Runnable afterCommit, int maxBatch, int queueCapacity,
            long retainedChanges) {
        this.db = db;
        this.afterCommit = afterCommit;
        this.maxBatch = maxBatch;
        this.retainedChanges = retainedChanges;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.thread = Thread.ofPlatform().daemon().name("berth-store-pg-writer").unstarted(this);
    }

    void start() {
        thread.start();
    }

    /** Queues {@code job}, waiting for room until {@code deadlineNanos}. */
    void submit(Job job, long deadlineNanos, Duration timeout) {
        if (stopping) {
            throw closed();
        }
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
            process(batch);
            batch.clear();
        }
    }

    private void process(List<Job> batch) {
        List<Tx> group = new ArrayList<>();
        for (Job job : batch) {
            switch (job) {
                case Tx tx -> {
                    if (!tx.result().isDone()) { // else its committer gave up waiting: leave it out
                        group.add(tx);
                    }
                }
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

    private void commitGroup(List<Tx> group) {
        if (group.isEmpty()) {
            return;
        }
        List<List<Mutation>> transactions = group.stream().map(Tx::mutations).toList();
        BatchStaging.Staged staged;
        try {
            staged = db.write(BatchStaging.refs(transactions), retainedChanges,
                    (committed, last) -> BatchStaging.stage(transactions, committed, last));
        } catch (Exception e) {
            LOG.error("state store commit of a batch of {} transactions failed", group.size(), e);
            StoreUnavailableException failure = new StoreUnavailableException("state store commit failed (the"
                    + " transaction may or may not be applied): " + e, e);
            group.forEach(tx -> tx.result().completeExceptionally(failure));
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            BatchStaging.Outcome outcome = staged.outcomes().get(i);
            if (outcome.conflict() == null) {
                group.get(i).result().complete(outcome.versions());
            } else {
                group.get(i).result().completeExceptionally(outcome.conflict());
            }
        }
        if (!staged.changes().isEmpty()) {
            afterCommit.run();
        }
    }

    private void wipe(Wipe job) {
        try {
            db.wipe();
            job.result().complete(null);
            afterCommit.run();
        } catch (Exception e) {
            LOG.error("state store wipe failed", e);
            job.result().completeExceptionally(new StoreUnavailableException("state store wipe failed: " + e, e));
        }
    }

    private static void fail(Job job, StoreUnavailableException failure) {
        switch (job) {
            case Tx tx -> tx.result().completeExceptionally(failure);
            case Wipe wipe -> wipe.result().completeExceptionally(failure);
            case Stop stop -> { }
        }
    }
}
