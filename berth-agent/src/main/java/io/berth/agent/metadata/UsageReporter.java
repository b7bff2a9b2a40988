package io.berth.agent.metadata;

import io.berth.agent.channel.ChannelException;
import io.berth.agent.channel.ServerChannel;
import io.berth.core.agent.UsageReport;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the tasks' CPU and memory use (from the {@link StatsSampler}) to the server every
 * {@code interval}, for the {@code AWS/ECS} CloudWatch metrics. Best effort: a failed send is logged at
 * debug and the next one carries fresh figures; nothing is sent while no task runs. Runs on a virtual
 * thread until {@link #close()}.
 */
final class UsageReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UsageReporter.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final StatsSampler sampler;
    private final ServerChannel channel;
    private final InstantSource clock;
    private final Duration interval;
    private volatile boolean closed;
    private Thread thread;

    UsageReporter(StatsSampler sampler, ServerChannel channel, InstantSource clock, Duration interval) {
        this.sampler = sampler;
        this.channel = channel;
        this.clock = clock;
        this.interval = interval;
    }

    UsageReporter start() {
        thread = Thread.ofVirtual().name("berth-usage").start(this::run);
        return this;
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(interval);
                sendOnce();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("reporting task usage failed", e);
            }
        }
    }

    /** One report of the latest samples; false when there was nothing to send or the send failed. */
    boolean sendOnce() {
        List<UsageReport.Usage> tasks = sampler.usage().values().stream()
                .map(u -> new UsageReport.Usage(u.taskArn(), Math.max(0, u.cpuPercent()), u.memoryBytes()))
                .toList();
        if (tasks.isEmpty()) {
            return false;
        }
        try {
            channel.usage(new UsageReport(clock.instant(), tasks), CALL_TIMEOUT);
            return true;
        } catch (ChannelException e) {
            log.debug("usage report not delivered: {}", e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
