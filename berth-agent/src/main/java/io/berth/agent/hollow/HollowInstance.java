package io.berth.agent.hollow;

import io.berth.agent.channel.ServerChannel;
import io.berth.core.agent.AgentReport;
import io.berth.core.agent.DesiredState;
import io.berth.core.agent.DesiredTask;
import io.berth.core.agent.Registration;
import io.berth.core.agent.ReportAck;
import io.berth.core.agent.TaskReport;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * One simulated container instance (like Kubernetes' kubemark): registers, follows its desired
 * state and walks each task through the lifecycle after the configured delays, running nothing.
 * Its long poll runs on a virtual thread and asks for changes only (the server sends what changed
 * since the last state it gave, not every task each time); the shared scheduler only times its reports, which go out
 * on virtual threads of their own (a report is a blocking call: thousands of instances reporting
 * through two scheduler threads fell minutes behind the tasks they were given). As the real agent's
 * report loop, it coalesces: changes wait up to {@link #COALESCE} and while a report is in flight,
 * then go out together, the latest report of each task.
 */
final class HollowInstance {
    /** How long a change waits for others to go out with it (the real agent's report interval). */
    static final Duration COALESCE = Duration.ofMillis(20);

    private final HollowSettings settings;
    private final ServerChannel channel;
    private final ScheduledExecutorService scheduler;
    private final java.util.concurrent.Executor senders;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final String zone;
    private final Map<String, String> states = new HashMap<>();
    private final HollowContainers containers = new HollowContainers();
    private final Object sendLock = new Object();
    /** Reports not yet sent, by task ARN; guarded by {@code this}. */
    private final Map<String, TaskReport> unsent = new java.util.LinkedHashMap<>();
    private boolean flushScheduled;
    private long sequence;
    private volatile long lastSentNanos = System.nanoTime();
    private volatile boolean running = true;

    HollowInstance(HollowSettings settings, ServerChannel channel, ScheduledExecutorService scheduler,
                   java.util.concurrent.Executor senders,
                   InstantSource clock, RandomGenerator random, String zone) {
        this.settings = settings;
        this.channel = channel;
        this.scheduler = scheduler;
        this.senders = senders;
        this.clock = clock;
        this.random = random;
        this.zone = zone;
    }

    void register() {
        Map<String, String> attributes = new HashMap<>(settings.attributes());
        attributes.put("ecs.availability-zone", zone);
        attributes.putIfAbsent("ecs.os-type", "linux");
        attributes.putIfAbsent("ecs.cpu-architecture", "x86_64");
        attributes.putIfAbsent("ecs.instance-type", "berth.hollow");
        channel.register(new Registration(settings.cluster(), null, null, "127.0.0.1", settings.cpuUnits(),
                settings.memoryMib(), List.of(), attributes, "berth-hollow", "hollow", true), Duration.ofSeconds(30));
        scheduler.scheduleWithFixedDelay(() -> senders.execute(this::heartbeat), settings.heartbeat().toMillis(),
                settings.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The long-poll loop; returns when stopped. */
    void follow() {
        long version = 0;
        String token = null;
        while (running) {
            try {
                Optional<DesiredState> state = channel.desired(version, token, Duration.ofSeconds(20),
                        Duration.ofSeconds(40));
                if (state.isPresent()) {
                    version = state.get().version();
                    token = state.get().delta() == null ? null : state.get().delta().token();
                    apply(state.get());
                }
            } catch (RuntimeException e) {
                sleep(Duration.ofMillis(500 + random.nextInt(500)));
            }
        }
    }

    private synchronized void apply(DesiredState state) {
        for (DesiredTask task : state.tasks()) {
            String known = states.get(task.taskArn());
            if (task.stopRequested()) {
                if (!"STOPPING".equals(known) && !"STOPPED".equals(known)) {
                    states.put(task.taskArn(), "STOPPING");
                    later(settings.stopDelay(), () -> report(task, "STOPPED", null, null));
                }
            } else if (known == null) {
                states.put(task.taskArn(), "PENDING");
                boolean fail = random.nextDouble() < settings.failureRate();
                later(settings.startDelay(), () -> {
                    if (fail) {
                        report(task, "STOPPED", "TaskFailedToStart", "CannotPullContainerError: simulated failure");
                    } else if ("PENDING".equals(stateOf(task.taskArn()))) {
                        report(task, "RUNNING", null, null);
                    }
                });
            }
        }
        if (state.delta() != null && state.delta().changesOnly()) {
            state.delta().removed().forEach(arn -> {
                if ("STOPPED".equals(states.get(arn))) {
                    states.remove(arn);
                }
            });
            return;
        }
        java.util.Set<String> desired = new java.util.HashSet<>();
        state.tasks().forEach(t -> desired.add(t.taskArn()));
        states.entrySet().removeIf(e -> "STOPPED".equals(e.getValue()) && !desired.contains(e.getKey()));
    }

    private synchronized String stateOf(String arn) {
        return states.get(arn);
    }

    private void report(DesiredTask task, String status, String stopCode, String reason) {
        synchronized (this) {
            if ("STOPPED".equals(states.get(task.taskArn())) && !"STOPPED".equals(status)) {
                return;
            }
            states.put(task.taskArn(), status);
        }
        List<HollowContainers.Shape> shapes = containers.of(task);
        TaskReport report = new TaskReport(task.taskArn(), status, HollowContainers.taskHealth(shapes, status),
                clock.instant(), clock.instant(),
                status.equals("RUNNING") ? clock.instant() : null, status.equals("STOPPED") ? clock.instant() : null,
                stopCode, reason, HollowContainers.reports(task.taskArn(), shapes, status, reason));
        synchronized (this) {
            unsent.put(task.taskArn(), report);
            if (flushScheduled) {
                return;
            }
            flushScheduled = true;
        }
        later(COALESCE, this::flush);
    }

    /** Sends what is unsent; what a failed send carried goes back unless a newer report replaced it. */
    private void flush() {
        List<TaskReport> batch;
        synchronized (sendLock) {
            synchronized (this) {
                flushScheduled = false;
                batch = List.copyOf(unsent.values());
                unsent.clear();
            }
            if (batch.isEmpty() || send(batch)) {
                return;
            }
            synchronized (this) {
                batch.forEach(r -> unsent.putIfAbsent(r.taskArn(), r));
                if (flushScheduled || !running) {
                    return;
                }
                flushScheduled = true;
            }
        }
        later(Duration.ofSeconds(1), this::flush);
    }

    /** A report with no tasks, unless a report went out within the interval (as the real agent's ReportLoop). */
    private void heartbeat() {
        if (running && System.nanoTime() - lastSentNanos >= settings.heartbeat().toNanos() / 2) {
            send(List.of());
        }
    }

    /**
     * Sends one report at a time, so sequences reach the server in order (a report overtaken by a
     * later one would be ignored as stale); a report the server did not apply is sent again.
     */
    private boolean send(List<TaskReport> tasks) {
        synchronized (sendLock) {
            for (int attempt = 0; attempt < 8 && running; attempt++) {
                long seq = ++sequence;
                lastSentNanos = System.nanoTime();
                try {
                    ReportAck ack = channel.report(new AgentReport(seq, seq == 1, 0, clock.instant(), tasks),
                            Duration.ofSeconds(30));
                    if (ack.appliedSequence() == seq) {
                        return true;
                    }
                } catch (RuntimeException e) {
                    sleep(Duration.ofMillis(100L << Math.min(attempt, 5)));
                }
            }
            return false;
        }
    }

    private void later(Duration delay, Runnable action) {
        scheduler.schedule(() -> senders.execute(action), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop() {
        running = false;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
