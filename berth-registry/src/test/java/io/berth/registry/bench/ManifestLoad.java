package io.berth.registry.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * By hand, not a test: {@code clients} concurrent clients (each its own connection) GET one manifest
 * for {@code seconds} after a warm-up; prints throughput and latency percentiles.
 *
 * <p>Closed loop by default: each client sends its next request when the last one is answered, so
 * with {@code clients} clients the mean latency is {@code clients} ÷ throughput, whatever the
 * server. With {@code RATE} (requests per second, all clients together) it is an open loop: each
 * client sends on its own fixed schedule ({@code RATE / clients} per second, the clients' schedules
 * staggered), and each latency is counted from the request's scheduled time, so a client held up
 * by a slow answer is charged for the requests it could not send on time.
 *
 * <pre>java [-Draw=true] -cp ... io.berth.registry.bench.ManifestLoad URL AUTH|- CLIENTS SECONDS [RATE]</pre>
 */
public final class ManifestLoad {
    /**
     * {@code -Draw=true}: each client is a plain keep-alive socket that writes the request and reads
     * the answer by its Content-Length, instead of a JDK HttpClient (each of which runs a selector
     * thread of its own: 100 clients are 100 more threads on the cores the server needs).
     */
    private static final boolean RAW = Boolean.getBoolean("raw");

    private ManifestLoad() {
    }

    /** One client's connection: GETs the URL, returns the status. */
    private interface Getter extends AutoCloseable {
        int get() throws Exception;
    }

    private static final class JdkGetter implements Getter {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final HttpRequest request;

        JdkGetter(URI uri, String accept, String auth) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept", accept).GET();
            if (auth != null) {
                b.header("Authorization", auth);
            }
            request = b.build();
        }

        @Override
        public int get() throws Exception {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
        }

        @Override
        public void close() {
            http.close();
        }
    }

    private static final class RawGetter implements Getter {
        private final java.net.Socket socket;
        private final java.io.OutputStream out;
        private final java.io.BufferedInputStream in;
        private final byte[] request;

        RawGetter(URI uri, String accept, String auth) throws java.io.IOException {
            socket = new java.net.Socket(uri.getHost(), uri.getPort());
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024);
            request = ("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nAccept: " + accept + (auth == null ? "" : "\r\nAuthorization: " + auth) + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }

        @Override
        public int get() throws java.io.IOException {
            out.write(request);
            out.flush();
            StringBuilder head = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                head.append((char) b);
                if (b == '\n' && head.length() >= 4 && head.charAt(head.length() - 3) == '\n') {
                    break;
                }
            }
            String text = head.toString();
            int status = Integer.parseInt(text.substring(9, 12));
            long length = 0;
            for (String line : text.split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Long.parseLong(line.substring(15).trim());
                }
            }
            in.skipNBytes(length);
            return status;
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        String auth = args[1].equals("-") ? null : args[1];
        int clients = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        double rate = args.length > 4 ? Double.parseDouble(args[4]) : 0;
        long interval = rate > 0 ? (long) (1e9 * clients / rate) : 0;
        String accept = "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";
        long warmupEnd = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        long end = warmupEnd + Duration.ofSeconds(seconds).toNanos();
        List<long[]> perClient = new ArrayList<>();
        List<long[]> perClientSent = new ArrayList<>(); // open loop: from the actual send, not the scheduled one
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(clients);
        long origin = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            long offset = interval * c / clients;
            // room for every sample (at most 100,000 requests/s in all when closed), without a heap so
            // large that the generator's own collections show in the latencies
            long[] samples = new long[(int) (seconds * (rate > 0 ? 2 * rate / clients : 100_000.0 / clients)) + 1000];
            perClient.add(samples);
            long[] sent = new long[samples.length];
            perClientSent.add(sent);
            Thread.ofVirtual().start(() -> {
                int n = 0;
                try (Getter http = RAW ? new RawGetter(uri, accept, auth) : new JdkGetter(uri, accept, auth)) {
                    long next = origin + offset;
                    while (true) {
                        long t0 = System.nanoTime();
                        long actual = t0;
                        if (interval > 0) {
                            if (next > t0) {
                                java.util.concurrent.locks.LockSupport.parkNanos(next - t0);
                            }
                            actual = System.nanoTime();
                            t0 = next; // latency from the scheduled send
                            next += interval;
                        }
                        if (t0 > end) {
                            break;
                        }
                        int status = http.get();
                        long t1 = System.nanoTime();
                        if (status != 200) {
                            errors.incrementAndGet();
                        }
                        if (t0 >= warmupEnd && n < samples.length) {
                            sent[n] = t1 - actual;
                            samples[n++] = t1 - t0;
                        }
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                } finally {
                    samples[samples.length - 1] = n;
                    done.countDown();
                }
            });
        }
        done.await();
        long[] all = merged(perClient, perClient);
        long total = all.length;
        System.out.printf("%s, %d clients: requests %d in %d s: %.0f/s, errors %d%n",
                rate > 0 ? "open loop at " + (long) rate + "/s offered" : "closed loop", clients, total, seconds,
                total / (double) seconds, errors.get());
        System.out.printf("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n", pct(all, 50), pct(all, 90),
                pct(all, 99), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
        if (rate > 0) {
            long[] fromSend = merged(perClientSent, perClient);
            System.out.printf("from the actual send (the generator's own lateness left out): p50 %.2f  p90 %.2f  "
                    + "p99 %.2f  max %.2f%n", pct(fromSend, 50), pct(fromSend, 90), pct(fromSend, 99),
                    fromSend.length == 0 ? 0 : fromSend[fromSend.length - 1] / 1e6);
        }
    }

    /** Every client's samples of {@code arrays}, sorted; each client's count is the last slot of its {@code counts} array. */
    private static long[] merged(List<long[]> arrays, List<long[]> counts) {
        int total = 0;
        for (long[] c : counts) {
            total += (int) c[c.length - 1];
        }
        long[] all = new long[total];
        int at = 0;
        for (int i = 0; i < arrays.size(); i++) {
            int n = (int) counts.get(i)[counts.get(i).length - 1];
            System.arraycopy(arrays.get(i), 0, all, at, n);
            at += n;
        }
        Arrays.sort(all);
        return all;
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] / 1e6;
    }
}
