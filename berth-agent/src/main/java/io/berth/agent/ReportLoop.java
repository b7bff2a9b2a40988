package io.berth.agent;

import io.berth.agent.channel.Backoff;
import io.berth.agent.channel.ChannelException;
import io.berth.agent.channel.ServerChannel;
import io.berth.agent.engine.EngineSnapshot;
import io.berth.core.agent.AgentReport;
import io.berth.core.agent.ReportAck;
import io.berth.core.agent.TaskReport;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the server what the engine's tasks are doing: level-triggered, coalesced, resent until
 * acknowledged.
 *
 * <ul>
 *   <li>Each report carries the whole {@link TaskReport} of every task whose report differs from the
 *       last one the server acknowledged (so a lost report is simply superseded by the next).</li>
 *   <li>Changes are coalesced: at most one report per {@code interval}.</li>
 *   <li>A task on its way up (PENDING, ACTIVATING) is reported once it has been so for {@code settle},
 *       or with the next change that cannot wait (RUNNING, STOPPING, STOPPED, a health status), which
 *       carries the whole report anyway. A start that takes less than {@code settle} is then one report
 *       and one durable commit on the server instead of three, none of them while the engine creates
 *       and starts the container on the same cores and disk (that contention slowed the engine's own
 *       create by ~7 ms here).</li>
 *   <li>Sequence numbers increase per agent run. Reports are {@code fresh} from the start until the
 *       server applied one that carries tasks (it records the sequence of those only), and again
 *       whenever it answers that it skipped one (a sequence of an earlier run is above ours).</li>
 *   <li>With nothing to say, a heartbeat (no tasks) every {@code heartbeat}.</li>
 *   <li>Failures: 401 → re-register (through {@link Auth}), anything else → jittered backoff.</li>
 * </ul>
 *
 * Runs on its own thread; {@link #wake()} may be called from any thread.
 */
final class ReportLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ReportLoop.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** How long a task's way up (PENDING, ACTIVATING) may go unreported: a start usually ends first. */
    static final Duration SETTLE = Duration.ofMillis(500);

    /** Re-registration, shared with the desired-state loop. */
    interface Auth {
        /** Which registration calls are made under now. */
        long generation();

        /** Registers again, unless that already happened since {@code failedGeneration}. */
        void reauthenticate(long failedGeneration);
    }

    private final ServerChannel channel;
    private final Supplier<EngineSnapshot> snapshots;
    private final Auth auth;
    private final Duration interval;
    private final Duration heartbeat;
    private final Duration settle;
    private final InstantSource clock;
    private final Backoff backoff;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean dirty = true;
    private volatile boolean closed;

    private final Map<String, TaskReport> acknowledged = new HashMap<>();
    private long acknowledgedVersion = -1;
    private long sequence;
    private boolean fresh = true;
    private long lastSentNanos;
    /** When the report being held for {@link #settle} was first held, or -1 when none is. */
    private long heldSinceNanos = -1;
    private int failures;

    private final io.berth.core.metrics.Metrics metrics;

    ReportLoop(ServerChannel channel, Supplier<EngineSnapshot> snapshots, Auth auth, Duration interval,
               Duration heartbeat, InstantSource clock, Backoff backoff) {
        this(channel, snapshots, auth, interval, heartbeat, SETTLE, clock, backoff, io.berth.core.metrics.Metrics.NONE);
    }

    /** As above, timing each report's round trip ({@code berth.agent.report}, tag outcome) in {@code metrics}. */
    ReportLoop(ServerChannel channel, Supplier<EngineSnapshot> snapshots, Auth auth, Duration interval,
               Duration heartbeat, Duration settle, InstantSource clock, Backoff backoff,
               io.berth.core.metrics.Metrics metrics) {
        this.metrics = metrics;
        this.settle = settle;
        this.channel = channel;
        this.snapshots = snapshots;
        this.auth = auth;
        this.interval = interval;
        this.heartbeat = heartbeat;
        this.clock = clock;
        this.backoff = backoff;
        this.lastSentNanos = System.nanoTime() - heartbeat.toNanos();
    }

    /** Something changed: report soon. */
    void wake() {
        lock.lock();
        try {
            dirty = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void close() {
        closed = true;
    }

    @Override
    public void run() {
        try {
            while (!closed) {
                awaitWork();
                sleepNanos(lastSentNanos + interval.toNanos() - System.nanoTime()); // coalesce
                reportOnce();
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    private void reportOnce() throws InterruptedException {
        lock.lock();
        try {
            dirty = false;
        } finally {
            lock.unlock();
        }
        EngineSnapshot snapshot = snapshots.get();
        acknowledged.keySet().retainAll(snapshot.tasks().keySet());
        List<TaskReport> changedTasks = snapshot.tasks().values().stream()
                .filter(r -> !r.equals(acknowledged.get(r.taskArn())))
                .toList();
        boolean heartbeatDue = System.nanoTime() - lastSentNanos >= heartbeat.toNanos();
        if (sequence > 0 && changedTasks.isEmpty() && snapshot.appliedVersion() == acknowledgedVersion
                && !heartbeatDue) {
            return;
        }
        if (sequence > 0 && !heartbeatDue && changedTasks.stream().allMatch(ReportLoop::onTheWayUp)) {
            long now = System.nanoTime();
            if (heldSinceNanos < 0) {
                heldSinceNanos = now;
            }
            if (now - heldSinceNanos < settle.toNanos()) {
                return; // awaitWork wakes at the end of the hold
            }
        }
        heldSinceNanos = -1;
        AgentReport report = new AgentReport(++sequence, fresh, snapshot.appliedVersion(), clock.instant(),
                changedTasks);
        lastSentNanos = System.nanoTime();
        long generation = auth.generation();
        long start = System.nanoTime();
        try {
            ReportAck ack;
            try {
                ack = channel.report(report, CALL_TIMEOUT);
                metrics.time("berth.agent.report", Duration.ofNanos(System.nanoTime() - start), "outcome", "ok");
            } catch (ChannelException e) {
                metrics.time("berth.agent.report", Duration.ofNanos(System.nanoTime() - start), "outcome",
                        e.kind().name().toLowerCase(java.util.Locale.ROOT));
                throw e;
            }
            if (ack.appliedSequence() == report.sequence()) {
                changedTasks.forEach(r -> acknowledged.put(r.taskArn(), r));
                acknowledgedVersion = snapshot.appliedVersion();
                if (!changedTasks.isEmpty()) {
                    fresh = false; // the server records sequences of reports with tasks only
                }
                failures = 0;
            } else {
                // It kept a higher sequence (of an earlier run): our reports count again once fresh.
                log.warn("the server skipped report {} (its last applied is {}); resending as fresh",
                        report.sequence(), ack.appliedSequence());
                fresh = true;
                retryAfterFailure();
            }
        } catch (ChannelException e) {
            if (closed) {
                return;
            }
            if (e.kind() == ChannelException.Kind.UNAUTHORIZED) {
                auth.reauthenticate(generation);
                wake();
            } else {
                log.warn("report {} failed: {}", report.sequence(), e.getMessage());
                retryAfterFailure();
            }
        }
    }

    /** A report that can wait for {@link #settle}: the task is being pulled, created or started. */
    private static boolean onTheWayUp(TaskReport r) {
        return "PENDING".equals(r.lastStatus()) || "ACTIVATING".equals(r.lastStatus());
    }

    private void retryAfterFailure() throws InterruptedException {
        sleepNanos(backoff.delay(++failures).toNanos());
        wake();
    }

    /** Waits until something changed, a held report's time is up, or a heartbeat is due. */
    private void awaitWork() throws InterruptedException {
        lock.lock();
        try {
            while (!dirty && !closed) {
                long now = System.nanoTime();
                long wait = lastSentNanos + heartbeat.toNanos() - now;
                if (heldSinceNanos >= 0) {
                    wait = Math.min(wait, heldSinceNanos + settle.toNanos() - now);
                }
                if (wait <= 0) {
                    return;
                }
                changed.awaitNanos(wait);
            }
        } finally {
            lock.unlock();
        }
    }

    private static void sleepNanos(long nanos) throws InterruptedException {
        if (nanos > 0) {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    }
}
