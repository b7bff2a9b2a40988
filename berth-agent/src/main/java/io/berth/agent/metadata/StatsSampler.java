package io.berth.agent.metadata;

import io.berth.agent.engine.ContainerPhase;
import io.berth.agent.engine.ContainerRecord;
import io.berth.agent.engine.TaskRecord;
import io.berth.core.runtime.ContainerRuntime;
import io.berth.core.runtime.ContainerStats;
import io.berth.core.runtime.RuntimeFailure;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the resource use of the engine's running containers (Docker's one-shot stats) every
 * {@code interval}, keeping the last two samples of each: the metadata endpoint's {@code /stats}
 * shows the newest with the one before as {@code precpu_stats}, and CPU utilisation is their
 * difference. Thread-safe.
 */
public final class StatsSampler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatsSampler.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    /** The last two samples of a container; {@code previous} is null after the first. */
    public record Samples(ContainerStats previous, ContainerStats latest) {
        /** CPU use between the two samples, in percent of one CPU (0 with one sample). */
        public double cpuPercent() {
            return previous == null ? 0 : latest.cpuPercentSince(previous);
        }
    }

    /** What a task uses now: its containers' CPU (percent of one CPU) and memory without page cache. */
    public record TaskUsage(String taskArn, double cpuPercent, long memoryBytes) {
    }

    private final ContainerRuntime runtime;
    private final Supplier<Map<String, TaskRecord>> tasks;
    private final Duration interval;
    private final Map<String, Samples> samples = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private Thread thread;

    public StatsSampler(ContainerRuntime runtime, Supplier<Map<String, TaskRecord>> tasks, Duration interval) {
        this.runtime = runtime;
        this.tasks = tasks;
        this.interval = interval;
    }

    public StatsSampler start() {
        thread = Thread.ofVirtual().name("berth-stats").start(this::run);
        return this;
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(interval); // a container asked before the first pass is sampled on demand (of)
                sampleAll();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("sampling container stats failed", e);
            }
        }
    }

    /** One pass over the running containers. */
    void sampleAll() {
        Set<String> running = new HashSet<>();
        for (TaskRecord t : tasks.get().values()) {
            for (ContainerRecord c : t.containers()) {
                if (c.runtimeId() != null && (c.phase() == ContainerPhase.RUNNING || c.phase() == ContainerPhase.STOPPING)) {
                    running.add(c.runtimeId());
                    sample(c.runtimeId());
                }
            }
        }
        samples.keySet().retainAll(running);
    }

    /** Takes a sample now; empty when the container does not run or the engine did not answer. */
    Optional<Samples> sample(String runtimeId) {
        try {
            Optional<ContainerStats> now = runtime.stats(runtimeId, CALL_TIMEOUT);
            if (now.isEmpty()) {
                samples.remove(runtimeId);
                return Optional.empty();
            }
            return Optional.of(samples.compute(runtimeId, (id, before) -> new Samples(
                    before == null ? null : before.latest(), now.get())));
        } catch (RuntimeFailure f) {
            return Optional.ofNullable(samples.get(runtimeId));
        }
    }

    /** The latest samples of a container, sampling it now when there is none yet. */
    public Optional<Samples> of(String runtimeId) {
        Samples s = samples.get(runtimeId);
        return s != null ? Optional.of(s) : sample(runtimeId);
    }

    /** What each task on the host uses, from the latest samples: for CloudWatch-style ECS metrics. */
    public Map<String, TaskUsage> usage() {
        Map<String, TaskUsage> out = new java.util.LinkedHashMap<>();
        for (TaskRecord t : tasks.get().values()) {
            double cpu = 0;
            long memory = 0;
            boolean any = false;
            for (ContainerRecord c : t.containers()) {
                Samples s = c.runtimeId() == null ? null : samples.get(c.runtimeId());
                if (s != null) {
                    cpu += s.cpuPercent();
                    memory += s.latest().memoryWithoutCacheBytes();
                    any = true;
                }
            }
            if (any) {
                out.put(t.taskArn(), new TaskUsage(t.taskArn(), cpu, memory));
            }
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
