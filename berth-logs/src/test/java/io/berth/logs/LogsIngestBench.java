package io.berth.logs;

import io.berth.store.sqlite.SqliteStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

/**
 * A by-hand measurement of the Logs API on SQLite through the real edge and the AWS SDK:
 * PutLogEvents throughput (STREAMS clients, one stream each, BATCHES batches of EVENTS events of
 * 100 bytes), then GetLogEvents and FilterLogEvents over what was written.
 *
 * <pre>java -cp ... io.berth.logs.LogsIngestBench [streams] [batches] [events]</pre>
 */
public final class LogsIngestBench {
    public static void main(String[] args) throws Exception {
        int streams = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int events = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        Path dir = Files.createTempDirectory("berth-logs-bench-");
        try (SqliteStateStore store = SqliteStateStore.open(dir); LogsTestServer server = LogsTestServer.start(store)) {
            CloudWatchLogsClient logs = server.client();
            logs.createLogGroup(c -> c.logGroupName("bench"));
            for (int s = 0; s < streams; s++) {
                int n = s;
                logs.createLogStream(c -> c.logGroupName("bench").logStreamName("s" + n));
            }
            String body = "x".repeat(90);
            // warm-up
            logs.putLogEvents(p -> p.logGroupName("bench").logStreamName("s0").logEvents(InputLogEvent.builder()
                    .timestamp(System.currentTimeMillis()).message("warm").build()));
            ExecutorService pool = Executors.newFixedThreadPool(streams);
            long[] latencies = new long[streams * batches];
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int s = 0; s < streams; s++) {
                int stream = s;
                futures.add(pool.submit(() -> {
                    for (int b = 0; b < batches; b++) {
                        long t = System.currentTimeMillis();
                        List<InputLogEvent> batch = IntStream.range(0, events).mapToObj(i -> InputLogEvent.builder()
                                .timestamp(t).message(String.format("%08d ", i) + body).build()).toList();
                        long t0 = System.nanoTime();
                        logs.putLogEvents(p -> p.logGroupName("bench").logStreamName("s" + stream).logEvents(batch));
                        latencies[stream * batches + b] = System.nanoTime() - t0;
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            Arrays.sort(latencies);
            long total = (long) streams * batches * events;
            System.out.printf("put: %d events in %d batches over %d streams: %.1f s, %.0f events/s, %.1f MB/s; "
                            + "batch p50 %.1f ms, p99 %.1f ms%n", total, streams * batches, streams, seconds,
                    total / seconds, total * 100 / seconds / 1e6, latencies[latencies.length / 2] / 1e6,
                    latencies[(int) (latencies.length * 0.99)] / 1e6);
            long g0 = System.nanoTime();
            int got = logs.getLogEvents(g -> g.logGroupName("bench").logStreamName("s1").startFromHead(true))
                    .events().size();
            System.out.printf("get: first page of a stream, %d events: %.1f ms%n", got, (System.nanoTime() - g0) / 1e6);
            long f0 = System.nanoTime();
            int found = logs.filterLogEvents(f -> f.logGroupName("bench").filterPattern("\"00000042 \"")).events().size();
            long f1 = System.nanoTime();
            long tail0 = System.nanoTime();
            int tail = logs.filterLogEvents(f -> f.logGroupName("bench").startTime(System.currentTimeMillis() - 1000))
                    .events().size();
            System.out.printf("filter: a term over all %d events, first page (%d found): %.0f ms; the last second "
                    + "(tail -f's poll, %d events): %.0f ms%n", total, found, (f1 - f0) / 1e6, tail,
                    (System.nanoTime() - tail0) / 1e6);
            System.out.printf("store: %d chunks%n", store.count("logs.chunk", ""));
        }
    }
}
