package io.berth.agent;

import io.berth.agent.channel.ChannelException;
import io.berth.agent.channel.ServerChannel;
import io.berth.core.agent.AgentReport;
import io.berth.core.agent.DesiredState;
import io.berth.core.agent.Registered;
import io.berth.core.agent.Registration;
import io.berth.core.agent.ReportAck;
import io.berth.core.agent.TaskReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's side of the agent channel, in memory, as the contract says it behaves: reports
 * applied when their sequence is above the last one (or fresh), long polls that answer when the
 * version passes the agent's. Fault modes: down, failing reports, 401s on the desired-state poll.
 */
final class FakeServerChannel implements ServerChannel {
    static final String ARN = "arn:aws:ecs:us-east-1:000000000000:container-instance/default/5a4b3c2d1e0f";
    /** How long a poll without news blocks (instead of the agent's 20 s). */
    private static final long POLL_MILLIS = 50;

    final List<Registration> registrations = new CopyOnWriteArrayList<>();
    /** Every report that arrived, with its arrival time (System.nanoTime). */
    final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    /** The reports the server applied. */
    final List<AgentReport> applied = new CopyOnWriteArrayList<>();
    final AtomicInteger unauthorizedPolls = new AtomicInteger();
    volatile boolean down;
    volatile boolean reportsFail;
    private DesiredState desired = new DesiredState(0, List.of());
    private long lastSequence;
    private int tokens;

    record Arrival(AgentReport report, long nanos) {
    }

    /** The last sequence the server recorded, e.g. of an earlier agent run. */
    synchronized void setLastSequence(long sequence) {
        lastSequence = sequence;
    }

    synchronized void setDesired(DesiredState state) {
        desired = state;
        notifyAll();
    }

    @Override
    public synchronized Registered register(Registration registration, Duration timeout) {
        if (down) {
            throw new ChannelException(ChannelException.Kind.UNAVAILABLE, "connection refused (fake)");
        }
        registrations.add(registration);
        String arn = registration.containerInstanceArn() != null ? registration.containerInstanceArn() : ARN;
        return new Registered(arn, "i-0a1b2c3d4e5f60718", "token-" + (++tokens));
    }

    @Override
    public synchronized Optional<DesiredState> desired(long afterVersion, Duration wait, Duration timeout) {
        if (down) {
            throw new ChannelException(ChannelException.Kind.UNAVAILABLE, "connection refused (fake)");
        }
        if (unauthorizedPolls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new ChannelException(ChannelException.Kind.UNAUTHORIZED, 401, "token expired (fake)", null);
        }
        long deadline = System.currentTimeMillis() + POLL_MILLIS;
        while (desired.version() <= afterVersion) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return Optional.empty();
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChannelException(ChannelException.Kind.UNAVAILABLE, 0, "interrupted", e);
            }
        }
        return Optional.of(desired);
    }

    @Override
    public synchronized ReportAck report(AgentReport report, Duration timeout) {
        arrivals.add(new Arrival(report, System.nanoTime()));
        if (down || reportsFail) {
            throw new ChannelException(ChannelException.Kind.UNAVAILABLE, 503, "unavailable (fake)", null);
        }
        // As the server does: a stale sequence is skipped, a heartbeat is not recorded.
        if (!report.fresh() && report.sequence() <= lastSequence) {
            return new ReportAck(lastSequence, desired.version());
        }
        applied.add(report);
        if (!report.tasks().isEmpty()) {
            lastSequence = report.sequence();
        }
        return new ReportAck(report.sequence(), desired.version());
    }

    /** The latest applied report of {@code taskArn}, or null. */
    TaskReport latest(String taskArn) {
        List<AgentReport> reports = new ArrayList<>(applied);
        for (int i = reports.size() - 1; i >= 0; i--) {
            for (TaskReport t : reports.get(i).tasks()) {
                if (t.taskArn().equals(taskArn)) {
                    return t;
                }
            }
        }
        return null;
    }

    String latestStatus(String taskArn) {
        TaskReport t = latest(taskArn);
        return t == null ? null : t.lastStatus();
    }
}
