package io.berth.bench.tasks;

import io.berth.agent.Agent;
import io.berth.agent.AgentConfig;
import io.berth.agent.channel.HttpServerChannel;
import io.berth.agent.engine.PullBehavior;
import io.berth.agent.runtime.DockerEngineRuntime;
import io.berth.core.agent.AgentLabels;
import io.berth.core.arn.Account;
import io.berth.core.runtime.ContainerRuntime;
import io.berth.core.runtime.ContainerSpec;
import io.berth.core.runtime.ContainerState;
import io.berth.server.BerthServer;
import io.berth.server.ServerConfig;
import io.berth.testkit.images.TestImages;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.store.Change;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * RunTask → RUNNING latency on the real Docker Engine, side by side with starting the same image
 * straight through the engine (create + start, what {@code docker run -d} does) and with the
 * {@code docker run -d} command itself; then 50 tasks started together. A benchmark run by hand:
 * {@code berth-bench/run-task-bench.sh}. Prints a markdown table.
 *
 * <p>When a task is RUNNING is seen, by default ({@code -Dobserve=feed}), on the server's change
 * feed: the instant the RUNNING report's commit is published, which is the first instant any
 * DescribeTasks can answer RUNNING (one DescribeTasks then confirms it). {@code -Dobserve=poll}
 * polls DescribeTasks instead, every {@code -Dpoll} ms: that adds up to one interval to each
 * figure, and the polls' signing and answering take CPU from the engine while it starts the
 * container (a 10 ms poll slowed the engine's start by ~40 ms here).
 */
public final class TaskStartBench {
    private static final int TASKS = Integer.getInteger("tasks", 50);
    private static final boolean FEED = !"poll".equals(System.getProperty("observe", "feed"));
    private static RunningWatch watch;

    public static void main(String[] args) throws Exception {
        Path data = Files.createTempDirectory("berth-bench-tasks-");
        ContainerRuntime runtime = new DockerEngineRuntime(DockerEngineRuntime.hostFromEnvironment());
        try (InputStream images = TestImages.openArchive()) {
            runtime.load(images, Duration.ofMinutes(2));
        }
        String label = "berth.bench." + UUID.randomUUID().toString().substring(0, 8);
        try (BerthServer server = BerthServer.start(new ServerConfig("127.0.0.1", 0, data,
                new Account("000000000000", "us-east-1"), false, null, null));
             RunningWatch running = new RunningWatch(server)) {
            watch = running;
            AgentConfig config = AgentConfig.of(URI.create(server.endpoint()), data.resolve("agent"),
                            server.credentials().accessKeyId(), server.credentials().secretAccessKey())
                    .withPullBehavior(PullBehavior.PREFER_CACHED).withStopTimeout(Duration.ofSeconds(1))
                    .withCleanupDelay(Duration.ofSeconds(1)); // reports coalesced as by default (20 ms)
            Agent agent = Agent.start(config, runtime, new HttpServerChannel(config.serverUrl(), config.region(),
                    config.accessKeyId(), config.secretAccessKey(), InstantSource.system()), InstantSource.system(),
                    new Random());
            agent.awaitRegistered(Duration.ofSeconds(30));
            try (EcsClient ecs = EcsClient.builder().endpointOverride(URI.create(server.endpoint()))
                    .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(server.credentials().accessKeyId(),
                                    server.credentials().secretAccessKey()))).build()) {
                ecs.registerTaskDefinition(r -> r.family("bench").containerDefinitions(c -> c.name("main")
                        .image(TestImages.BUSYBOX).memory(16).cpu(0).command("sleep", "600")));
                warmUp(ecs, runtime, label);
                Histogram berth = new Histogram(3);
                Histogram engine = new Histogram(3);
                Histogram cli = new Histogram(3);
                Histogram gap = new Histogram(3);
                // interleaved, so that the three paths meet the same engine (its load and state drift over
                // a run); each container is gone before the next round, so every start finds the same host
                for (int i = 0; i < TASKS; i++) {
                    long b = runTaskUntilRunning(ecs);
                    long e = engineStart(runtime, label);
                    long c = cliStart(label);
                    berth.recordValue(b / 1000);
                    engine.recordValue(e / 1000);
                    cli.recordValue(c / 1000);
                    gap.recordValue(Math.max(0, b - Math.min(e, c)) / 1000);
                    stopAll(ecs);
                    for (ContainerState x : runtime.list(Map.of(label, "1"), Duration.ofSeconds(30))) {
                        runtime.remove(x.id(), Duration.ofSeconds(30));
                    }
                }
                long together = berthTogether(ecs);
                stopAll(ecs);
                print(berth, engine, cli, gap, together);
            } finally {
                agent.close();
                for (ContainerState c : runtime.list(Map.of(label, "1"), Duration.ofSeconds(30))) {
                    runtime.remove(c.id(), Duration.ofSeconds(30));
                }
                runtime.close();
            }
        }
    }

    private static void warmUp(EcsClient ecs, ContainerRuntime runtime, String label) throws Exception {
        for (int i = 0; i < 5; i++) {
            runTaskUntilRunning(ecs);
            engineStart(runtime, label);
            cliStart(label);
        }
        stopAll(ecs);
        for (ContainerState x : runtime.list(Map.of(label, "1"), Duration.ofSeconds(30))) {
            runtime.remove(x.id(), Duration.ofSeconds(30));
        }
    }

    /**
     * Between two DescribeTasks while waiting for RUNNING (-Dpoll=ms, default 10): a poll every
     * few milliseconds is SigV4 work on the same two cores as the engine starting the container,
     * and slows it; what it adds to a measurement is at most one interval.
     */
    private static final long POLL_MILLIS = Long.getLong("poll", 10);

    /** Nanoseconds from RunTask sent to DescribeTasks showing RUNNING (polled every {@link #POLL_MILLIS}). */
    private static long runTaskUntilRunning(EcsClient ecs) throws Exception {
        long start = System.nanoTime();
        String arn = ecs.runTask(r -> r.taskDefinition("bench")).tasks().get(0).taskArn();
        long answered = System.nanoTime();
        while (true) {
            long seenAt = FEED ? watch.awaitRunning(arn) : 0;
            Task t = ecs.describeTasks(d -> d.tasks(arn)).tasks().get(0);
            if (FEED && !"RUNNING".equals(t.lastStatus())) {
                throw new IllegalStateException("the feed saw " + arn + " RUNNING, DescribeTasks says "
                        + t.lastStatus());
            }
            if ("RUNNING".equals(t.lastStatus())) {
                long total = (FEED ? seenAt : System.nanoTime()) - start;
                if (Boolean.getBoolean("phases")) {
                    java.time.Instant seen = java.time.Instant.now();
                    System.out.printf("phases ms: RunTask answered %d, created->pullStarted %d, pull %d, "
                                    + "pullStopped->started %d, started->seen RUNNING %d, total %d%n",
                            (answered - start) / 1_000_000,
                            java.time.Duration.between(t.createdAt(), t.pullStartedAt()).toMillis(),
                            java.time.Duration.between(t.pullStartedAt(), t.pullStoppedAt()).toMillis(),
                            java.time.Duration.between(t.pullStoppedAt(), t.startedAt()).toMillis(),
                            java.time.Duration.between(t.startedAt(), seen).toMillis(), total / 1_000_000);
                }
                return total;
            }
            if ("STOPPED".equals(t.lastStatus())) {
                throw new IllegalStateException("task stopped: " + t.stoppedReason());
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static long engineStart(ContainerRuntime runtime, String label) {
        long start = System.nanoTime();
        String id = runtime.create(new ContainerSpec("bench-" + UUID.randomUUID(), TestImages.BUSYBOX,
                List.of("sleep", "600"), null, Map.of(), null, null, Map.of(label, "1", AgentLabels.MANAGED, "bench"),
                "bridge", List.of(), 2, 16L << 20, null, List.of(), false, false, false, List.of(), List.of(), null,
                Duration.ofSeconds(1), List.of()), Duration.ofSeconds(30));
        runtime.start(id, Duration.ofSeconds(30));
        return System.nanoTime() - start;
    }

    private static long cliStart(String label) throws Exception {
        long start = System.nanoTime();
        Process p = new ProcessBuilder("docker", "run", "-d", "--label", label + "=1", "-m", "16m",
                TestImages.BUSYBOX, "sleep", "600").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("docker run failed");
        }
        return System.nanoTime() - start;
    }

    /** Milliseconds for 50 tasks (5 RunTask calls of 10) to all be RUNNING. */
    private static long berthTogether(EcsClient ecs) throws Exception {
        long start = System.nanoTime();
        List<String> arns = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ecs.runTask(r -> r.taskDefinition("bench").count(10)).tasks().forEach(t -> arns.add(t.taskArn()));
        }
        if (FEED) {
            long last = 0;
            for (String arn : arns) {
                last = Math.max(last, watch.awaitRunning(arn));
            }
            return (last - start) / 1_000_000;
        }
        while (true) {
            long running = 0;
            for (int i = 0; i < arns.size(); i += 100) {
                List<String> batch = arns.subList(i, Math.min(arns.size(), i + 100));
                running += ecs.describeTasks(d -> d.tasks(batch)).tasks().stream()
                        .filter(t -> "RUNNING".equals(t.lastStatus())).count();
            }
            if (running == arns.size()) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(20);
        }
    }

    /** Stops every task and waits until they are STOPPED and their containers removed (cleanup delay 1 s). */
    private static void stopAll(EcsClient ecs) throws Exception {
        List<String> arns = ecs.listTasks().taskArns();
        for (String arn : arns) {
            ecs.stopTask(s -> s.task(arn));
        }
        for (int i = 0; i < arns.size(); i += 100) {
            List<String> batch = arns.subList(i, Math.min(arns.size(), i + 100));
            while (!ecs.describeTasks(d -> d.tasks(batch)).tasks().stream()
                    .allMatch(t -> "STOPPED".equals(t.lastStatus()))) {
                Thread.sleep(50);
            }
        }
        if (!arns.isEmpty()) {
            Thread.sleep(1500);
        }
    }

    private static void print(Histogram berth, Histogram engine, Histogram cli, Histogram gap, long together) {
        System.out.println();
        System.out.println("| start path (" + TASKS + " rounds, interleaved, cached image) | p50 ms | p99 ms | max ms |");
        System.out.println("|---|---|---|---|");
        row(FEED ? "Berth RunTask -> RUNNING committed (seen on the change feed, then by DescribeTasks)"
                : "Berth RunTask -> DescribeTasks RUNNING (polled every " + POLL_MILLIS + " ms)", berth);
        row("Docker Engine API create + start", engine);
        row("`docker run -d` (CLI process)", cli);
        row("Berth minus the faster raw start of the same round", gap);
        System.out.printf("%nBerth p50 minus engine p50: %.1f ms; minus `docker run -d` p50: %.1f ms%n",
                (berth.getValueAtPercentile(50) - engine.getValueAtPercentile(50)) / 1000.0,
                (berth.getValueAtPercentile(50) - cli.getValueAtPercentile(50)) / 1000.0);
        System.out.printf("50 tasks started together (5 RunTask x 10): all RUNNING after %d ms%n", together);
    }

    private static void row(String name, Histogram h) {
        System.out.printf("| %s | %.1f | %.1f | %.1f |%n", name, h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
    }

    /** The instant each task's RUNNING was first published on the server's change feed. */
    private static final class RunningWatch implements AutoCloseable {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final Map<String, CompletableFuture<Long>> running = new ConcurrentHashMap<>();
        private final AutoCloseable subscription;

        RunningWatch(BerthServer server) {
            subscription = server.store().subscribe(server.store().lastSequence(), this::changed);
        }

        private void changed(Change c) {
            if (!"ecs-task".equals(c.kind()) || c.deleted()) {
                return;
            }
            long now = System.nanoTime();
            try {
                if ("RUNNING".equals(JSON.readTree(c.value()).path("lastStatus").asText())) {
                    future(c.key()).complete(now);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** System.nanoTime() when the task ({@code cluster/id} of its ARN) was first committed RUNNING. */
        long awaitRunning(String taskArn) throws Exception {
            String[] parts = taskArn.split("/");
            return future(parts[parts.length - 2] + "/" + parts[parts.length - 1]).get(2, TimeUnit.MINUTES);
        }

        private CompletableFuture<Long> future(String key) {
            return running.computeIfAbsent(key, k -> new CompletableFuture<>());
        }

        @Override
        public void close() throws Exception {
            subscription.close();
        }
    }
}
