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
 *
 * <p>With {@code -Dwarmup=N} it first places N tasks the same way, waits until they run, stops them
 * all and waits until the cluster has no live task; then it measures {@code -Dtasks} tasks on JVMs
 * (server, hollow fleet, this driver) whose JIT has compiled the paths. With {@code -Dserver.pid}
 * and {@code -Dfleet.pid} it prints the CPU each spent during the measured run.
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
        int warmup = Integer.getInteger("warmup", 0);
        if (warmup > 0) {
            System.out.printf("warm-up: %d tasks, then stopped%n", warmup);
            run(ecs, cluster, warmup, clients, spreadAll);
            stopAll(ecs, cluster, clients);
            System.out.printf("%nmeasured run: %d tasks%n", target);
        }
        long[] cpu0 = {cpuTicks("server.pid"), cpuTicks("fleet.pid")};
        run(ecs, cluster, target, clients, spreadAll);
        if (cpu0[0] >= 0 && cpu0[1] >= 0) {
            System.out.printf("CPU seconds of the measured run: server %.1f, hollow fleet %.1f%n",
                    (cpuTicks("server.pid") - cpu0[0]) / 100.0, (cpuTicks("fleet.pid") - cpu0[1]) / 100.0);
        }
        System.out.printf("CPU seconds of this driver: %.1f%n", ProcessHandle.current().info().totalCpuDuration()
                .map(d -> d.toMillis() / 1000.0).orElse(Double.NaN));
        ecs.close();
    }

    /** utime + stime of the process whose PID the property names, in clock ticks; -1 without one. */
    private static long cpuTicks(String property) {
        String pid = System.getProperty(property);
        if (pid == null) {
            return -1;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of stat
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /** Stops every live task of the cluster and waits until DescribeClusters counts none. */
    private static void stopAll(EcsClient ecs, String cluster, int clients) throws Exception {
        long start = System.nanoTime();
        List<String> arns = new ArrayList<>();
        ecs.listTasksPaginator(l -> l.cluster(cluster).desiredStatus("RUNNING")).taskArns().forEach(arns::add);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> stops = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int first = c;
            stops.add(pool.submit(() -> {
                for (int i = first; i < arns.size(); i += clients) {
                    String arn = arns.get(i);
                    ecs.stopTask(t -> t.cluster(cluster).task(arn).reason("warm-up over"));
                }
                return null;
            }));
        }
        for (Future<?> f : stops) {
            f.get();
        }
        pool.shutdown();
        while (true) {
            var c = ecs.describeClusters(d -> d.clusters(cluster)).clusters().get(0);
            if (c.runningTasksCount() + c.pendingTasksCount() == 0) {
                break;
            }
            Thread.sleep(500);
        }
        System.out.printf("warm-up tasks stopped (%d) in %.1f s%n", arns.size(), (System.nanoTime() - start) / 1e9);
    }

    private static void run(EcsClient ecs, String cluster, int target, int clients, boolean spreadAll)
            throws Exception {
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
    }
}
