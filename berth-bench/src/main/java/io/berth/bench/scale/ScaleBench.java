package io.berth.bench.scale;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;

/**
 * Drives RunTask (count 10, spread(az) then binpack(memory), or spread(instanceId) with
 * {@code -Dstrategy=spread}) from concurrent clients against a running server whose cluster has
 * hollow instances (see run-scale-bench.sh), until {@code -Dtasks} tasks are placed, then waits
 * (up to {@code -Dsettle} seconds, default 180) until the hollow instances report them all RUNNING.
 * Prints two rates: placed (RunTask acknowledged, durable) and RUNNING (from the first RunTask to
 * the moment DescribeClusters counts every placed task running), sampled every second.
 */
public final class ScaleBench {
    public static void main(String[] args) throws Exception {
        String endpoint = System.getProperty("endpoint");
        String cluster = System.getProperty("cluster", "scale");
        int target = Integer.getInteger("tasks", 100_000);
        int clients = Integer.getInteger("clients", 32);
        // binpack (default) fills one instance after another (1,024 of these tasks each); spread
        // puts the same number on every instance (20 each at 100,000 onto 5,000)
        boolean spreadAll = "spread".equals(System.getProperty("strategy", "binpack"));
        EcsClient ecs = EcsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        System.getenv("BERTH_ACCESS_KEY_ID"), System.getenv("BERTH_SECRET_ACCESS_KEY"))))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(clients * 2)).build();
        ecs.registerTaskDefinition(r -> r.family("scale").containerDefinitions(c -> c.name("app").image("hollow")
                .cpu(8).memory(32)));
        AtomicInteger placed = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicLong calls = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                while (placed.get() < target) {
                    RunTaskResponse r = ecs.runTask(t -> t.cluster(cluster).taskDefinition("scale").count(10)
                            .placementStrategy(s -> s.type("spread").field("attribute:ecs.availability-zone"),
                                    spreadAll ? s -> s.type("spread").field("instanceId")
                                            : s -> s.type("binpack").field("memory")));
                    calls.incrementAndGet();
                    placed.addAndGet(r.tasks().size());
                    if (!r.failures().isEmpty()) {
                        failures.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        long lastReport = System.nanoTime();
        int lastPlaced = 0;
        int lastRunning = 0;
        double placedSeconds = Double.NaN;
        long settleUntil = Long.MAX_VALUE;
        int running = 0;
        while (true) {
            Thread.sleep(1000);
            long now = System.nanoTime();
            int p = placed.get();
            running = ecs.describeClusters(d -> d.clusters(cluster)).clusters().get(0).runningTasksCount();
            boolean driving = futures.stream().anyMatch(f -> !f.isDone());
            System.out.printf("%6.1f s  placed %7d  (%5.0f tasks/s now)  running %7d  (%5.0f tasks/s now)%n",
                    (now - start) / 1e9, p, (p - lastPlaced) / ((now - lastReport) / 1e9), running,
                    (running - lastRunning) / ((now - lastReport) / 1e9));
            lastReport = now;
            lastPlaced = p;
            lastRunning = running;
            if (!driving && Double.isNaN(placedSeconds)) {
                for (Future<?> f : futures) {
                    f.get();
                }
                placedSeconds = (System.nanoTime() - start) / 1e9;
                settleUntil = System.nanoTime() + Duration.ofSeconds(Integer.getInteger("settle", 180)).toNanos();
            }
            if (!driving && (running >= placed.get() || System.nanoTime() > settleUntil)) {
                break;
            }
        }
        double runningSeconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        System.out.printf("%nplaced %d tasks in %.1f s: %.0f tasks/s sustained (%d RunTask calls, %d with failures)%n",
                placed.get(), placedSeconds, placed.get() / placedSeconds, calls.get(), failures.get());
        System.out.printf("RUNNING %d of them %.1f s after the first RunTask: %.0f tasks/s placed and running%s%n",
                running, runningSeconds, running / runningSeconds,
                running >= placed.get() ? "" : " (NOT ALL: gave up waiting)");
        System.out.printf("CPU seconds of this driver: %.1f%n", ProcessHandle.current().info().totalCpuDuration()
                .map(d -> d.toMillis() / 1000.0).orElse(Double.NaN));
        ecs.close();
    }
}
