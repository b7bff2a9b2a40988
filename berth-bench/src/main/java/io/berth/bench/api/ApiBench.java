package io.berth.bench.api;

import io.berth.aws.sigv4.SigV4Signer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * A load driver for the ECS API of one endpoint (Berth, moto_server, or anything that speaks AWS
 * JSON 1.1): N concurrent clients, each on its own keep-alive HTTP/1.1 connection, send one
 * {@link Operation} for a warm-up and then for a measured duration. In a closed loop (the default)
 * each client sends its next request as soon as it has the reply to the last: that finds the
 * highest throughput. With {@code --rate} the load is open: requests are due on a fixed schedule
 * and a late one's latency counts from when it was due, which is how "p99 at R requests/s" is
 * measured. Every request is freshly signed with SigV4 ({@link SigV4Signer}); the latency of each
 * request (from when it is sent, or was due, to its whole reply read; signing excluded) goes into an
 * HdrHistogram. Any non-2xx reply, or an I/O failure, is an error: counted, classified, and left
 * out of the latencies.
 *
 * <p>It also measures its own CPU use, and (given {@code --server-pid}) the server's, and how busy
 * the whole machine was, so that a run shows whether the driver, rather than the server, was the
 * limit.
 *
 * <pre>
 * java -cp 'berth-bench/target/berth-bench.jar:berth-bench/target/lib/*' io.berth.bench.api.ApiBench \
 *     --endpoint http://127.0.0.1:4566 --credentials-file ~/.berth/credentials \
 *     --op DescribeClusters,RegisterTaskDefinition --clients 64 --warmup 10s --duration 30s
 * </pre>
 *
 * Run by hand only; see {@link SideBySide} and {@code berth-bench/run-api-bench.sh} for the
 * comparison with moto_server.
 */
public final class ApiBench {
    /** Latencies above this are clamped (and would mean something is badly wrong). */
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

    static final String USAGE = """
            Usage: ApiBench [options]
              --endpoint URL            endpoint to load (default http://127.0.0.1:4566)
              --access-key-id ID        access key (default: from --credentials-file, else $AWS_ACCESS_KEY_ID)
              --secret-access-key KEY   its secret (default: from --credentials-file, else $AWS_SECRET_ACCESS_KEY)
              --credentials-file FILE   AWS shared-credentials file to read the key from
              --profile NAME            profile in that file (default berth)
              --region REGION           SigV4 region (default us-east-1)
              --op OPS                  DescribeClusters and/or RegisterTaskDefinition, comma-separated
                                        (default DescribeClusters)
              --clients N               concurrent clients, one connection each (default 64)
              --threads virtual|platform  thread kind of the clients (default virtual)
              --transport jdk           HTTP client (default jdk: java.net.http, HTTP/1.1)
              --warmup DURATION         warm-up before measuring, e.g. 10s (default 10s)
              --duration DURATION       measured duration (default 30s)
              --rate R                  offer R requests/s in all (open loop: each client sends on a fixed
                                        schedule, latency counted from when a request was due); default
                                        0, a closed loop (each client sends its next request as soon as
                                        it has the reply to the last)
              --server-pid PID          also measure the CPU used by this process and its descendants
              --label NAME              name of the endpoint in the report (default: the endpoint)
              --families N              RegisterTaskDefinition families: bench-<n % N> (default 50)
              --timeline                also print, per second, the successes and the longest latency
            """;

    /** What to run. */
    public record Settings(URI endpoint, String accessKeyId, String secretAccessKey, String region, int clients,
                           boolean virtualThreads, String transport, Duration warmup, Duration duration,
                           long serverPid, double rate, List<Long> bystanderPids) {
        public Settings {
            if (clients < 1) {
                throw new IllegalArgumentException("clients must be positive");
            }
            if (rate < 0) {
                throw new IllegalArgumentException("rate must not be negative");
            }
            bystanderPids = List.copyOf(bystanderPids);
        }

        Settings withServerPid(long pid) {
            return new Settings(endpoint, accessKeyId, secretAccessKey, region, clients, virtualThreads, transport,
                    warmup, duration, pid, rate, bystanderPids);
        }

        Settings withEndpoint(URI uri, String keyId, String secret) {
            return new Settings(uri, keyId, secret, region, clients, virtualThreads, transport, warmup, duration,
                    serverPid, rate, bystanderPids);
        }

        /** The same at a fixed offered rate (requests per second over all clients); 0 for a closed loop. */
        Settings withRate(double newRate) {
            return new Settings(endpoint, accessKeyId, secretAccessKey, region, clients, virtualThreads, transport,
                    warmup, duration, serverPid, newRate, bystanderPids);
        }

        /**
         * The same, also measuring the CPU of these processes (and descendants): ones that are not
         * under test but might disturb it, like the other server of a side-by-side run.
         */
        Settings withBystanders(List<Long> pids) {
            return new Settings(endpoint, accessKeyId, secretAccessKey, region, clients, virtualThreads, transport,
                    warmup, duration, serverPid, rate, pids);
        }

        /** "closed loop" or the offered rate. */
        public String load() {
            return rate == 0 ? "closed loop" : String.format(Locale.ROOT, "%,.0f/s offered", rate);
        }
    }

    /**
     * What a run measured. Latencies in {@code latency} are in nanoseconds; CPU figures are in cores
     * (CPU seconds per second of the measured window), -1 when unknown.
     */
    public record Result(String label, Operation operation, Settings settings, String transport, double seconds,
                         long ok, long errors, Map<String, Long> errorKinds, String firstError, Histogram latency,
                         long[] okPerSecond, long[] maxNanosPerSecond,
                         double driverCores, double serverCores, double bystanderCores, double machineBusyCores,
                         int machineCores) {

        /** CPU (cores) used by processes other than the driver, the server and the bystanders. */
        public double othersCores() {
            if (machineBusyCores < 0 || driverCores < 0) {
                return Double.NaN;
            }
            return Math.max(0, machineBusyCores - driverCores - Math.max(0, serverCores)
                    - Math.max(0, bystanderCores));
        }

        public double throughput() {
            return ok / seconds;
        }

        public double percentileMillis(double percentile) {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1e6;
        }

        public double maxMillis() {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getMaxValue() / 1e6;
        }

        /** Driver CPU microseconds per request. */
        public double driverMicrosPerRequest() {
            return driverCores < 0 || ok + errors == 0 ? Double.NaN : driverCores * seconds * 1e6 / (ok + errors);
        }

        /** Server CPU microseconds per request. */
        public double serverMicrosPerRequest() {
            return serverCores < 0 || ok + errors == 0 ? Double.NaN : serverCores * seconds * 1e6 / (ok + errors);
        }

        /** Successes and the longest latency in each second of the measured window. */
        public String timeline() {
            StringBuilder sb = new StringBuilder("       second: ok, max ms");
            for (int i = 0; i < okPerSecond.length; i++) {
                sb.append(i % 6 == 0 ? "\n        " : "   ").append(String.format(Locale.ROOT, "%3d: %6d %8.1f", i,
                        okPerSecond[i], maxNanosPerSecond[i] / 1e6));
            }
            return sb.toString();
        }

        public String summary() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT,
                    "%-6s %-22s %-16s %10.1f ops/s  p50 %7.3f ms  p99 %7.3f ms  p99.9 %7.3f ms  max %8.3f ms  ok %d  errors %d",
                    label, operation.apiName(), settings.load(), throughput(), percentileMillis(50), percentileMillis(99),
                    percentileMillis(99.9), maxMillis(), ok, errors));
            sb.append(String.format(Locale.ROOT,
                    "%n       CPU (cores of %d): driver %.2f (%.1f us/req), server %s, machine busy %.2f%s, others %.2f",
                    machineCores, driverCores, driverMicrosPerRequest(),
                    serverCores < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f (%.1f us/req)", serverCores,
                            serverMicrosPerRequest()),
                    machineBusyCores, settings.bystanderPids().isEmpty() ? ""
                            : String.format(Locale.ROOT, ", idle servers %.2f", bystanderCores),
                    othersCores()));
            if (errors > 0) {
                sb.append(String.format("%n       errors by kind: %s%n       first error: %s", errorKinds, firstError));
            }
            return sb.toString();
        }
    }

    /** The operation could not be run at all against the endpoint (setup or probe failed). */
    public static final class NotRunnable extends Exception {
        NotRunnable(String message) {
            super(message);
        }
    }

    private ApiBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args;
        try {
            args = new Args(argv, Set.of("timeline"), Set.of("endpoint", "access-key-id", "secret-access-key",
                    "credentials-file", "profile", "region", "op", "clients", "threads", "transport", "warmup",
                    "duration", "server-pid", "label", "rate", "families"), USAGE);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Operation.setFamilies(args.integer("families", 50));
        URI endpoint = URI.create(args.get("endpoint", "http://127.0.0.1:4566"));
        String keyId = args.get("access-key-id", System.getenv("AWS_ACCESS_KEY_ID"));
        String secret = args.get("secret-access-key", System.getenv("AWS_SECRET_ACCESS_KEY"));
        String credentialsFile = args.get("credentials-file", null);
        if (credentialsFile != null) {
            String[] creds = readProfile(Path.of(credentialsFile), args.get("profile", "berth"));
            keyId = args.get("access-key-id", creds[0]);
            secret = args.get("secret-access-key", creds[1]);
        }
        if (keyId == null || secret == null) {
            System.err.println("no credentials: give --credentials-file, or --access-key-id and --secret-access-key");
            System.exit(2);
        }
        Settings settings = new Settings(endpoint, keyId, secret, args.get("region", "us-east-1"),
                args.integer("clients", 64), !"platform".equals(args.get("threads", "virtual")),
                args.get("transport", "jdk"), args.duration("warmup", "10s"), args.duration("duration", "30s"),
                args.longValue("server-pid", -1), Double.parseDouble(args.get("rate", "0")), List.of());
        String label = args.get("label", endpoint.getAuthority());
        int failures = 0;
        for (String op : args.list("op", "DescribeClusters")) {
            try {
                Result r = run(label, Operation.parse(op), settings);
                System.out.println(r.summary());
                if (args.flag("timeline")) {
                    System.out.println(r.timeline());
                }
            } catch (NotRunnable e) {
                System.out.println(label + " " + op + ": not run: " + e.getMessage());
                failures++;
            }
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    /** Reads {@code aws_access_key_id} and {@code aws_secret_access_key} of a profile. */
    static String[] readProfile(Path file, String profile) throws IOException {
        String key = null;
        String secret = null;
        boolean in = false;
        for (String line : Files.readAllLines(file)) {
            String t = line.trim();
            if (t.startsWith("[")) {
                in = t.equals("[" + profile + "]") || t.equals("[profile " + profile + "]");
            } else if (in && t.contains("=")) {
                String name = t.substring(0, t.indexOf('=')).trim();
                String value = t.substring(t.indexOf('=') + 1).trim();
                if (name.equals("aws_access_key_id")) {
                    key = value;
                } else if (name.equals("aws_secret_access_key")) {
                    secret = value;
                }
            }
        }
        if (key == null || secret == null) {
            throw new IOException("no profile [" + profile + "] with a key and secret in " + file);
        }
        return new String[] {key, secret};
    }

    /** Runs the setup of {@code op}, checks one request of it, then loads the endpoint with it. */
    public static Result run(String label, Operation op, Settings s) throws NotRunnable, InterruptedException {
        try (Transport transport = Transport.named(s.transport(), s.endpoint(), s.clients())) {
            Signing signing = new Signing(s);
            prepare(op, transport, signing);
            return load(label, op, s, transport, signing);
        }
    }

    /** Signs requests to the endpoint of a run. Thread-safe. */
    private static final class Signing {
        private final SigV4Signer signer;
        private final String hostPort;

        Signing(Settings s) {
            this.signer = new SigV4Signer(s.accessKeyId(), s.secretAccessKey(), s.region(), "ecs");
            int port = s.endpoint().getPort();
            String host = s.endpoint().getHost();
            this.hostPort = port == -1 || port == 80 ? host : host + ":" + port;
        }

        /** The headers of a request to {@code target} with {@code body}, signed now. */
        Map<String, String> headers(String target, byte[] body) {
            Map<String, String> auth = signer.sign("POST", "/", null,
                    Map.of("host", hostPort, "x-amz-target", target, "content-type", Operation.CONTENT_TYPE),
                    body, Instant.now());
            Map<String, String> headers = new LinkedHashMap<>(8);
            headers.put("X-Amz-Target", target);
            headers.put("Content-Type", Operation.CONTENT_TYPE);
            headers.putAll(auth);
            return headers;
        }
    }

    private static void prepare(Operation op, Transport transport, Signing signing)
            throws NotRunnable, InterruptedException {
        try (Transport.Connection c = transport.connect(-1)) {
            for (Operation.Request req : op.setup()) {
                Transport.Reply r = c.post(signing.headers(req.target(), req.body()), req.body());
                if (!r.ok()) {
                    throw new NotRunnable("setup " + req.apiName() + " answered HTTP " + r.status() + ": "
                            + text(r.body()));
                }
            }
            byte[] body = op.body(0);
            Transport.Reply r = c.post(signing.headers(op.target(), body), body);
            if (!r.ok()) {
                throw new NotRunnable(op.apiName() + " answered HTTP " + r.status() + ": " + text(r.body()));
            }
            String problem = op.checkReply(r.body());
            if (problem != null) {
                throw new NotRunnable(problem);
            }
        } catch (IOException e) {
            throw new NotRunnable("cannot reach the endpoint: " + e);
        }
    }

    /** One client's tally. */
    private static final class Tally {
        final Histogram latency = new Histogram(HIGHEST_NANOS, 3);
        final long[] secondMax;
        final long[] secondOk;
        long ok;
        long errors;
        final Map<String, Long> kinds = new TreeMap<>();
        String firstError;

        Tally(int seconds) {
            secondMax = new long[seconds];
            secondOk = new long[seconds];
        }

        void ok(long latencyNanos, long sinceMeasureFrom) {
            ok++;
            latency.recordValue(Math.min(latencyNanos, HIGHEST_NANOS));
            int second = (int) Math.min(secondMax.length - 1, sinceMeasureFrom / 1_000_000_000L);
            secondOk[second]++;
            secondMax[second] = Math.max(secondMax[second], latencyNanos);
        }

        void error(String kind, String detail) {
            errors++;
            kinds.merge(kind, 1L, Long::sum);
            if (firstError == null) {
                firstError = detail;
            }
        }
    }

    private static Result load(String label, Operation op, Settings s, Transport transport, Signing signing)
            throws InterruptedException {
        long startAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        long measureFrom = startAt + s.warmup().toNanos();
        long measureUntil = measureFrom + s.duration().toNanos();
        AtomicLong sequence = new AtomicLong(1);
        List<Tally> tallies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        ThreadFactory factory = s.virtualThreads()
                ? Thread.ofVirtual().name("client-", 0).factory()
                : Thread.ofPlatform().name("client-", 0).daemon().factory();
        for (int i = 0; i < s.clients(); i++) {
            Tally tally = new Tally((int) Math.max(1, (s.duration().toNanos() + 999_999_999L) / 1_000_000_000L));
            tallies.add(tally);
            int client = i;
            threads.add(factory.newThread(() -> client(op, transport, signing, client, sequence, tally, startAt,
                    measureFrom, measureUntil, s.rate(), s.clients())));
        }
        threads.forEach(Thread::start);

        sleepUntil(measureFrom);
        long driver0 = CpuClock.selfNanos();
        long server0 = CpuClock.processTreeNanos(s.serverPid());
        long bystanders0 = bystanderNanos(s);
        long[] machine0 = CpuClock.machineNanos();
        long t0 = System.nanoTime();
        sleepUntil(measureUntil);
        long driver1 = CpuClock.selfNanos();
        long server1 = CpuClock.processTreeNanos(s.serverPid());
        long bystanders1 = bystanderNanos(s);
        long[] machine1 = CpuClock.machineNanos();
        long t1 = System.nanoTime();
        for (Thread t : threads) {
            t.join();
        }

        double window = (t1 - t0) / 1e9;
        Histogram all = new Histogram(HIGHEST_NANOS, 3);
        long[] secondMax = new long[tallies.getFirst().secondMax.length];
        long[] secondOk = new long[secondMax.length];
        long ok = 0;
        long errors = 0;
        Map<String, Long> kinds = new TreeMap<>();
        String firstError = null;
        for (Tally t : tallies) {
            all.add(t.latency);
            for (int i = 0; i < secondMax.length; i++) {
                secondMax[i] = Math.max(secondMax[i], t.secondMax[i]);
                secondOk[i] += t.secondOk[i];
            }
            ok += t.ok;
            errors += t.errors;
            t.kinds.forEach((k, v) -> kinds.merge(k, v, Long::sum));
            if (firstError == null) {
                firstError = t.firstError;
            }
        }
        int cores = Runtime.getRuntime().availableProcessors();
        double driverCores = driver0 < 0 || driver1 < 0 ? -1 : (driver1 - driver0) / 1e9 / window;
        double serverCores = server0 < 0 || server1 < 0 ? -1 : (server1 - server0) / 1e9 / window;
        double bystanderCores = (bystanders1 - bystanders0) / 1e9 / window;
        double machineBusy = -1;
        if (machine0 != null && machine1 != null && machine1[1] > machine0[1]) {
            // busy share of all CPU time, scaled to cores
            machineBusy = (double) (machine1[0] - machine0[0]) / (machine1[1] - machine0[1]) * cores;
        }
        return new Result(label, op, s, transport.describe(), s.duration().toNanos() / 1e9, ok, errors, kinds,
                firstError, all, secondOk, secondMax, driverCores, serverCores, bystanderCores, machineBusy, cores);
    }

    private static void client(Operation op, Transport transport, Signing signing, int client, AtomicLong sequence,
                               Tally tally, long startAt, long measureFrom, long measureUntil, double rate,
                               int clients) {
        // Open loop: this client's requests are due every `interval`, the clients staggered evenly.
        long interval = rate > 0 ? (long) (clients * 1e9 / rate) : 0;
        long due = startAt + (interval > 0 ? interval * client / clients : 0);
        sleepUntil(due);
        Transport.Connection connection = null;
        try {
            connection = transport.connect(client);
            while (true) {
                byte[] body = op.body(sequence.getAndIncrement());
                Map<String, String> headers = signing.headers(op.target(), body);
                long start;
                if (interval > 0) {
                    sleepUntil(due);
                    start = due; // a late request's wait counts: no coordinated omission
                    due += interval;
                } else {
                    start = System.nanoTime();
                }
                if (start - measureUntil >= 0) {
                    break;
                }
                String kind = null;
                String detail = null;
                try {
                    Transport.Reply reply = connection.post(headers, body);
                    if (!reply.ok()) {
                        String text = text(reply.body());
                        kind = "HTTP " + reply.status() + " " + errorType(text);
                        detail = kind + ": " + text;
                    }
                } catch (IOException e) {
                    kind = e.getClass().getSimpleName();
                    detail = e.toString();
                    connection.close();
                    connection = transport.connect(client);
                }
                long end = System.nanoTime();
                if (end - measureFrom >= 0 && end - measureUntil < 0) {
                    if (kind == null) {
                        tally.ok(end - start, end - measureFrom);
                    } else {
                        tally.error(kind, detail);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            tally.error(e.getClass().getSimpleName(), "client " + client + " stopped: " + e);
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
    }

    private static long bystanderNanos(Settings s) {
        long total = 0;
        for (long pid : s.bystanderPids()) {
            total += Math.max(0, CpuClock.processTreeNanos(pid));
        }
        return total;
    }

    private static void sleepUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    static String text(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        return s.length() > 500 ? s.substring(0, 500) + "..." : s;
    }

    /** The {@code __type} of an AWS JSON error body, or "". */
    static String errorType(String body) {
        int i = body.indexOf("\"__type\"");
        if (i < 0) {
            return "";
        }
        int q1 = body.indexOf('"', body.indexOf(':', i) + 1);
        int q2 = q1 < 0 ? -1 : body.indexOf('"', q1 + 1);
        return q1 < 0 || q2 < 0 ? "" : body.substring(q1 + 1, q2);
    }
}
