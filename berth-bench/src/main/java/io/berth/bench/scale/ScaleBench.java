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
 * Drives RunTask (count 10) from concurrent clients against a running server whose cluster has
 * hollow instances (see run-scale-bench.sh), until {@code -Dtasks} tasks are placed; prints the
 * sustained placement rate. Durable: every RunTask is acknowledged only after its commit.
 */
public final class ScaleBench {
    public static void main(String[] args) throws Exception {
        String endpoint = System.getProperty("endpoint");
        String cluster = System.getProperty("cluster", "scale");
        int target = Integer.getInteger("tasks", 100_000);
        int clients = Integer.getInteger("clients", 32);
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
                                    s -> s.type("binpack").field("memory")));
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
        while (futures.stream().anyMatch(f -> !f.isDone())) {
            Thread.sleep(1000);
            long now = System.nanoTime();
            int p = placed.get();
            System.out.printf("%6.1f s  placed %7d  (%5.0f tasks/s now)%n", (now - start) / 1e9, p,
                    (p - lastPlaced) / ((now - lastReport) / 1e9));
            lastReport = now;
            lastPlaced = p;
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        System.out.printf("%nplaced %d tasks in %.1f s: %.0f tasks/s sustained (%d RunTask calls, %d with failures)%n",
                placed.get(), seconds, placed.get() / seconds, calls.get(), failures.get());
        System.out.printf("CPU seconds of this driver: %.1f%n", ProcessHandle.current().info().totalCpuDuration()
                .map(d -> d.toMillis() / 1000.0).orElse(Double.NaN));
        ecs.close();
    }
}
