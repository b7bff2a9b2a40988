package io.berth.agent.channel;

import io.berth.core.agent.AgentReport;
import io.berth.core.agent.DesiredState;
import io.berth.core.agent.Registered;
import io.berth.core.agent.Registration;
import io.berth.core.agent.ReportAck;
import java.time.Duration;
import java.util.Optional;

/**
 * The agent's side of the agent channel (see {@link io.berth.core.agent}): what it asks of the
 * server. Adapter: {@link HttpServerChannel}; tests use a fake.
 *
 * <p>Every method blocks for at most its {@code timeout} and throws {@link ChannelException} on any
 * failure: {@link ChannelException.Kind#UNAUTHORIZED} means "register again", the other kinds "try
 * again later". Thread-safe: the desired-state and report loops call it concurrently.
 */
public interface ServerChannel extends AutoCloseable {

    /** Registers (or re-registers) this host; afterwards every call carries the returned token. */
    Registered register(Registration registration, Duration timeout);

    /**
     * Long poll: the desired state once its version is above {@code afterVersion}, or empty when
     * {@code wait} passed without a change.
     */
    Optional<DesiredState> desired(long afterVersion, Duration wait, Duration timeout);

    /**
     * As {@link #desired(long, Duration, Duration)}, asking for changes only: with {@code since} the
     * {@link DesiredState.Delta#token} of the last state received (null for none), the server may
     * answer with only the tasks that changed after it and those it no longer wants
     * ({@link DesiredState.Delta#changesOnly}); otherwise it answers with all of them. The default
     * asks for all of them.
     */
    default Optional<DesiredState> desired(long afterVersion, String since, Duration wait, Duration timeout) {
        return desired(afterVersion, wait, timeout);
    }

    /** Sends a report (or a heartbeat: no tasks); the answer says what the server applied. */
    ReportAck report(AgentReport report, Duration timeout);

    /**
     * Sends what the host's tasks use (for the CloudWatch metrics the server publishes). Best effort:
     * a lost report is superseded by the next. Channels that cannot carry it drop it.
     */
    default void usage(io.berth.core.agent.UsageReport report, Duration timeout) {
    }

    @Override
    default void close() {
    }
}
