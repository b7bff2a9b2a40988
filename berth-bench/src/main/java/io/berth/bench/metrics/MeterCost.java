package io.berth.bench.metrics;

import io.berth.server.metrics.MicrometerMetrics;
import java.time.Duration;

/**
 * What one request's timer sample costs the edge: {@code berth.requests} with its four tags recorded
 * into the Prometheus registry, single-threaded, in rounds of 2,000,000 (the first rounds warm up),
 * then one scrape. A benchmark, run by hand: {@code java -cp <berth-bench classpath>
 * io.berth.bench.metrics.MeterCost [rounds]}.
 */
public final class MeterCost {
    private MeterCost() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        String[] ops = {"ListClusters", "DescribeClusters", "RunTask", "DescribeTasks"};
        try (MicrometerMetrics m = new MicrometerMetrics()) {
            for (int round = 0; round < rounds; round++) {
                int n = 2_000_000;
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    m.time("berth.requests", Duration.ofNanos(i % 5_000_000), "service", "ecs", "operation",
                            ops[i & 3], "status", "200", "error", "");
                }
                System.out.printf("round %d: %.0f ns per timer sample%n", round,
                        (double) (System.nanoTime() - start) / n);
            }
            long s = System.nanoTime();
            int length = m.scrape().length();
            System.out.printf("scrape: %d chars in %.1f ms%n", length, (System.nanoTime() - s) / 1e6);
        }
    }
}
