package io.berth.bench.api;

import io.berth.testkit.postgres.PostgresCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Berth and moto_server side by side on the same machine, the same requests, the same concurrency
 * and duration: starts {@code bin/berth server} on a fresh data directory and {@code moto_server}
 * (both on 127.0.0.1, free ports), runs {@link ApiBench} against each for every operation, prints a
 * table, writes it as markdown, and stops the two processes it started (by their pids).
 *
 * <p>The machine is shared by whatever else runs on it, so before each run it waits (up to
 * {@code --quiet-timeout}) until processes other than these use less than {@code --quiet-below}
 * cores, and every result says how much CPU others used during its window. With
 * {@code --repeat N} each pair is run N times and the median quiet run is the one reported (all
 * runs are printed and listed in the markdown).
 *
 * <p>Run by hand, through {@code berth-bench/run-api-bench.sh}; never by the build.
 */
public final class SideBySide {
    static final String USAGE = """
            Usage: SideBySide [options]   (normally through berth-bench/run-api-bench.sh)
              --root DIR                repository root, where bin/berth is (default .)
              --ops OPS                 operations (default DescribeClusters,RegisterTaskDefinition)
              --targets T               berth, berth-pg and/or moto (default berth,moto); berth-pg is Berth
                                        on PostgreSQL: --berth-store, or a private cluster started here
              --berth-store URL         postgresql://user:pass@host:port/db for berth-pg (default: initdb a
                                        private cluster from /usr/lib/postgresql/*/bin, stopped at the end)
              --clients N               concurrent clients (default 64)
              --threads virtual|platform  client threads (default virtual)
              --transport socket|jetty|jdk  HTTP client of the driver (default socket)
              --warmup DURATION         warm-up per run (default 15s)
              --duration DURATION       measured time per run (default 30s)
              --rates OP=R,...          also run OP at R requests/s offered (open loop), for the latency at
                                        that rate (default DescribeClusters=10000,RegisterTaskDefinition=2000;
                                        "none" for none)
              --rate-targets T          the targets of those runs (default berth)
              --repeat N                runs per operation and target (default 1); reported: the median of the
                                        quiet ones (by ops/s, or by p99 at an offered rate), else the least
                                        disturbed
              --quiet-below CORES       before a run, wait until others use less than this (default 0.25)
              --quiet-timeout DURATION  how long to wait for that (default 5m; then run anyway, flagged)
              --berth-port P            port for Berth (default: a free one)
              --moto-port P             port for moto_server (default: a free one)
              --moto-command CMD        moto_server executable (default moto_server)
              --out FILE                markdown output (default berth-bench/target/api-bench-<time>.md)
              --keep-data               keep Berth's temporary data directory
              --families N              RegisterTaskDefinition families: bench-<n % N> (default 50)
              --timeline                print, per second of each run, the successes and the longest latency
            """;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private SideBySide() {
    }

    /** One started server process. */
    private record Started(String name, Process process, Path log) {
        long pid() {
            return process.pid();
        }
    }

    /** A target under test: its name, endpoint, key and process. */
    private record Target(String name, URI endpoint, String keyId, String secret, Started started) {
    }

    /** All runs of one operation on one target, and the one reported. */
    private record Measured(Operation op, String target, String load, List<ApiBench.Result> runs,
                            ApiBench.Result reported, String notRun, boolean disturbed) {
        boolean closedLoop() {
            return load.equals("closed loop");
        }
    }

    public static void main(String[] argv) throws Exception {
        Args args;
        try {
            args = new Args(argv, Set.of("keep-data", "timeline"), Set.of("root", "ops", "targets", "clients", "threads",
                    "transport", "warmup", "duration", "repeat", "quiet-below", "quiet-timeout", "berth-port",
                    "moto-port", "moto-command", "out", "rates", "rate-targets", "families", "berth-store"), USAGE);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(args, argv));
    }

    private static int run(Args args, String[] argv) throws Exception {
        Path root = Path.of(args.get("root", ".")).toAbsolutePath().normalize();
        List<Operation> ops = args.list("ops", "DescribeClusters,RegisterTaskDefinition").stream()
                .map(Operation::parse).toList();
        List<String> targets = args.list("targets", "berth,moto");
        int repeat = Math.max(1, args.integer("repeat", 1));
        double quietBelow = Double.parseDouble(args.get("quiet-below", "0.25"));
        Duration quietTimeout = args.duration("quiet-timeout", "5m");
        ApiBench.Settings base = new ApiBench.Settings(URI.create("http://127.0.0.1"), null, null, "us-east-1",
                args.integer("clients", 64), !"platform".equals(args.get("threads", "virtual")),
                args.get("transport", "socket"), args.duration("warmup", "15s"), args.duration("duration", "30s"),
                -1, 0, List.of());
        Map<Operation, Double> rates = new LinkedHashMap<>();
        for (String r : args.list("rates", "DescribeClusters=10000,RegisterTaskDefinition=2000")) {
            if (r.equals("none")) {
                continue;
            }
            String[] kv = r.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("--rates takes OPERATION=PER_SECOND,...: " + r);
            }
            rates.put(Operation.parse(kv[0]), Double.parseDouble(kv[1]));
        }
        List<String> rateTargets = args.list("rate-targets", "berth");
        String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(STAMP);
        Path out = Path.of(args.get("out", root.resolve("berth-bench/target/api-bench-" + stamp + ".md").toString()));
        String command = System.getenv().getOrDefault("BENCH_COMMAND",
                "java io.berth.bench.api.SideBySide " + String.join(" ", argv));

        boolean timeline = args.flag("timeline");
        Operation.setFamilies(args.integer("families", 50));
        Map<String, String> machine = machine();
        System.out.println("machine: " + machine);

        Path work = Files.createTempDirectory("berth-bench-");
        List<Started> started = new ArrayList<>();
        List<PostgresCluster> clusters = new ArrayList<>();
        Thread stopper = new Thread(() -> {
            started.forEach(SideBySide::stop);
            clusters.forEach(PostgresCluster::stop);
        }, "stop-servers");
        Runtime.getRuntime().addShutdownHook(stopper);
        List<Measured> measured = new ArrayList<>();
        try {
            Map<String, Target> byName = new LinkedHashMap<>();
            for (String t : targets) {
                Target target = switch (t) {
                    case "berth" -> startBerth("berth", root, work, args.integer("berth-port", 0), started);
                    case "berth-pg" -> startBerth("berth-pg", root, work, 0, started, "--store",
                            postgres(args.get("berth-store", null), clusters));
                    case "moto" -> startMoto(args.get("moto-command", "moto_server"), work,
                            args.integer("moto-port", 0), started);
                    default -> throw new IllegalArgumentException("unknown target " + t
                            + " (berth, berth-pg, moto)");
                };
                byName.put(t, target);
                System.out.println(t + ": " + target.endpoint() + " (pid " + target.started().pid() + ")");
            }
            base = base.withBystanders(started.stream().map(Started::pid).toList());
            for (Operation op : ops) {
                for (Target target : byName.values()) {
                    measured.add(measure(op, target, base, repeat, quietBelow, quietTimeout, timeline));
                }
                if (rates.containsKey(op)) {
                    for (Target target : byName.values()) {
                        if (rateTargets.contains(target.name())) {
                            measured.add(measure(op, target, base.withRate(rates.get(op)), repeat, quietBelow,
                                    quietTimeout, timeline));
                        }
                    }
                }
            }
        } finally {
            started.forEach(SideBySide::stop);
            clusters.forEach(PostgresCluster::stop);
            Runtime.getRuntime().removeShutdownHook(stopper);
            if (!args.flag("keep-data")) {
                deleteTree(work);
            } else {
                System.out.println("data and logs kept in " + work);
            }
        }

        String table = table(measured, targets);
        System.out.println();
        System.out.println(table);
        String markdown = markdown(machine, command, base, repeat, measured, table);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, markdown);
        System.out.println("markdown written to " + out);
        return measured.stream().anyMatch(m -> m.notRun() != null) ? 1 : 0;
    }

    // ---- the runs ----

    private static Measured measure(Operation op, Target target, ApiBench.Settings base, int repeat,
                                    double quietBelow, Duration quietTimeout, boolean timeline) throws Exception {
        ApiBench.Settings s = base.withEndpoint(target.endpoint(), target.keyId(), target.secret())
                .withServerPid(target.started().pid())
                .withBystanders(base.bystanderPids().stream().filter(p -> p != target.started().pid()).toList());
        List<ApiBench.Result> runs = new ArrayList<>();
        for (int i = 0; i < repeat; i++) {
            double others = waitForQuiet(quietBelow, quietTimeout);
            if (others >= quietBelow) {
                System.out.printf(Locale.ROOT, "warning: others still use %.2f cores after %s; running anyway%n",
                        others, human(quietTimeout));
            }
            System.out.printf(Locale.ROOT, "%s %s, %s: run %d of %d (%d clients, %s warm-up, %s measured)...%n",
                    target.name(), op.apiName(), s.load(), i + 1, repeat, s.clients(), human(s.warmup()),
                    human(s.duration()));
            try {
                ApiBench.Result r = ApiBench.run(target.name(), op, s);
                runs.add(r);
                System.out.println(r.summary());
                if (timeline) {
                    System.out.println(r.timeline());
                }
            } catch (ApiBench.NotRunnable e) {
                System.out.println(target.name() + " " + op.apiName() + ": not run: " + e.getMessage());
                return new Measured(op, target.name(), s.load(), runs, null, e.getMessage(), false);
            }
        }
        ApiBench.Result reported = representative(runs, s.rate() == 0, Math.max(quietBelow, 0.25));
        boolean disturbed = others(reported) >= Math.max(quietBelow, 0.25);
        return new Measured(op, target.name(), s.load(), runs, reported, null, disturbed);
    }

    /**
     * The run to report: of the runs that other processes left quiet (they used less than
     * {@code quiet} cores), the median one, by throughput for a closed loop and by p99 for an
     * offered load; if none was quiet, the least disturbed one.
     */
    static ApiBench.Result representative(List<ApiBench.Result> runs, boolean closedLoop, double quiet) {
        List<ApiBench.Result> quietRuns = runs.stream().filter(r -> others(r) < quiet).toList();
        if (quietRuns.isEmpty()) {
            return runs.stream().min(Comparator.comparingDouble(SideBySide::others)).orElseThrow();
        }
        Comparator<ApiBench.Result> order = closedLoop
                ? Comparator.comparingDouble(ApiBench.Result::throughput)
                : Comparator.comparingDouble(r -> r.percentileMillis(99));
        List<ApiBench.Result> sorted = quietRuns.stream().sorted(order).toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    /**
     * CPU (cores) that neither the driver nor the server under test used during a run's window: other
     * processes, and the other server (idle, but maybe collecting garbage or checkpointing).
     */
    static double others(ApiBench.Result r) {
        return r.othersCores() + Math.max(0, r.bystanderCores());
    }

    /**
     * Waits until processes other than this one use less than {@code below} cores over two seconds,
     * or until {@code timeout}; returns the last figure. The servers under test count as others
     * here: one still busy after its run (a collection, a checkpoint) would disturb the next run.
     */
    private static double waitForQuiet(double below, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        double others;
        do {
            long[] m0 = CpuClock.machineNanos();
            long own0 = CpuClock.selfNanos();
            long t0 = System.nanoTime();
            Thread.sleep(2_000);
            long[] m1 = CpuClock.machineNanos();
            long own1 = CpuClock.selfNanos();
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (m0 == null || m1 == null || m1[1] <= m0[1]) {
                return 0;
            }
            int cores = Runtime.getRuntime().availableProcessors();
            double busy = (double) (m1[0] - m0[0]) / (m1[1] - m0[1]) * cores;
            others = Math.max(0, busy - (own1 - own0) / 1e9 / seconds);
        } while (others >= below && System.nanoTime() < deadline);
        return others;
    }

    // ---- the processes ----

    /** The store URL for berth-pg: the one given, or a database on a private cluster started now. */
    private static String postgres(String given, List<PostgresCluster> clusters) {
        if (given != null) {
            return given;
        }
        PostgresCluster cluster = PostgresCluster.start(PostgresCluster.binaries().orElseThrow(() ->
                new IllegalStateException("berth-pg needs --berth-store or PostgreSQL under /usr/lib/postgresql")));
        clusters.add(cluster);
        String url = cluster.storeUrl(cluster.createDatabase());
        System.out.println("berth-pg: a private PostgreSQL cluster on 127.0.0.1:" + cluster.port());
        return url;
    }

    private static Target startBerth(String name, Path root, Path work, int port, List<Started> started,
                                     String... extraArgs) throws Exception {
        int p = port > 0 ? port : freePort();
        Path data = work.resolve(name + "-data");
        Path log = work.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(root.resolve("bin/berth").toString(), "server",
                "--port", Integer.toString(p), "--data-dir", data.toString()));
        command.addAll(List.of(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectErrorStream(true);
        pb.environment().put("BERTH_SKIP_DOCKER", "1");
        Process process = pb.start();
        Started s = new Started(name, process, log);
        started.add(s);
        CountDownLatch ready = new CountDownLatch(1);
        String[] readyLine = new String[1];
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)); PrintWriter w = new PrintWriter(Files.newBufferedWriter(log))) {
                String line;
                while ((line = in.readLine()) != null) {
                    w.println(line);
                    w.flush();
                    if (line.startsWith("Berth is ready at")) {
                        readyLine[0] = line;
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "berth-output");
        pump.setDaemon(true);
        pump.start();
        // bin/berth builds the server first when it is stale: that can take a few minutes.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (!ready.await(1, TimeUnit.SECONDS)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("Berth did not get ready (exit "
                        + (process.isAlive() ? "none" : process.exitValue()) + "); its output: "
                        + tail(log, 30));
            }
        }
        System.out.println(name + ": " + readyLine[0]);
        String[] creds = ApiBench.readProfile(data.resolve("credentials"), "berth");
        return new Target(name, URI.create("http://127.0.0.1:" + p), creds[0], creds[1], s);
    }

    private static Target startMoto(String command, Path work, int port, List<Started> started) throws Exception {
        int p = port > 0 ? port : freePort();
        Path log = work.resolve("moto.log");
        Process process = new ProcessBuilder(command, "-H", "127.0.0.1", "-p", Integer.toString(p))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Started s = new Started("moto", process, log);
        started.add(s);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!accepts(p)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("moto_server did not start; its output: " + tail(log, 30));
            }
            Thread.sleep(200);
        }
        // moto accepts any credentials; these are the SDK documentation's example key.
        return new Target("moto", URI.create("http://127.0.0.1:" + p), "AKIAIOSFODNN7EXAMPLE",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", s);
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Stops a process this runner started: SIGTERM to its pid, then SIGKILL after 20 s. */
    private static void stop(Started s) {
        Process p = s.process();
        if (!p.isAlive()) {
            return;
        }
        System.out.println("stopping " + s.name() + " (pid " + p.pid() + ")");
        p.destroy();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return "\n" + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    // ---- the machine ----

    static Map<String, String> machine() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        m.put("cpu", cpuInfo("model name"));
        m.put("memory", memTotal());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("moto", motoVersion());
        return m;
    }

    private static String cpuInfo(String field) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith(field)).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException | UncheckedIOException e) {
            return "unknown";
        }
    }

    private static String memTotal() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
            return lines.filter(l -> l.startsWith("MemTotal:")).findFirst()
                    .map(l -> {
                        long kb = Long.parseLong(l.replaceAll("[^0-9]", ""));
                        return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
                    }).orElse("unknown");
        } catch (IOException | UncheckedIOException e) {
            return "unknown";
        }
    }

    private static String motoVersion() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import moto; print(moto.__version__)")
                    .redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? v : "unknown";
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    // ---- the report ----

    private static String table(List<Measured> measured, List<String> targets) {
        StringBuilder sb = new StringBuilder();
        sb.append("| operation | server | load | ops/s | p50 ms | p99 ms | p99.9 ms | errors | server CPU (cores) "
                + "| driver CPU (cores) | others' CPU (cores) |\n");
        sb.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Measured m : measured) {
            if (m.reported() == null) {
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | not run: %s | | | | | | | |%n",
                        m.op().apiName(), m.target(), m.load(), m.notRun().replace("|", "\\|")));
                continue;
            }
            ApiBench.Result r = m.reported();
            sb.append(String.format(Locale.ROOT,
                    "| %s | %s | %s | %,.0f | %.2f | %.2f | %.2f | %d | %.2f | %.2f | %.2f%s |%n",
                    m.op().apiName(), m.target(), m.load(), r.throughput(), r.percentileMillis(50),
                    r.percentileMillis(99),
                    r.percentileMillis(99.9), r.errors(), r.serverCores(), r.driverCores(), others(r),
                    m.disturbed() ? " (disturbed)" : ""));
        }
        if (targets.contains("berth") && targets.contains("moto")) {
            for (Operation op : measured.stream().map(Measured::op).distinct().toList()) {
                ApiBench.Result berth = reported(measured, op, "berth");
                ApiBench.Result moto = reported(measured, op, "moto");
                if (berth != null && moto != null) {
                    sb.append(String.format(Locale.ROOT,
                            "| %s | Berth ÷ moto | closed loop | %.1f× | %.2f× | %.2f× | %.2f× | | | | |%n",
                            op.apiName(), berth.throughput() / moto.throughput(),
                            berth.percentileMillis(50) / moto.percentileMillis(50),
                            berth.percentileMillis(99) / moto.percentileMillis(99),
                            berth.percentileMillis(99.9) / moto.percentileMillis(99.9)));
                }
            }
        }
        return sb.toString();
    }

    private static ApiBench.Result reported(List<Measured> measured, Operation op, String target) {
        return measured.stream().filter(m -> m.op() == op && m.target().equals(target) && m.closedLoop())
                .map(Measured::reported)
                .filter(r -> r != null).findFirst().orElse(null);
    }

    private static String markdown(Map<String, String> machine, String command, ApiBench.Settings s, int repeat,
                                   List<Measured> measured, String table) {
        StringBuilder sb = new StringBuilder();
        sb.append("Measured ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_INSTANT))
                .append(".\n\n");
        sb.append("Machine: ").append(machine.get("cores")).append(" cores (").append(machine.get("cpu"))
                .append("), ").append(machine.get("memory")).append(", ").append(machine.get("os"))
                .append("; ").append(machine.get("java")).append("; moto ").append(machine.get("moto"))
                .append(". Nothing pinned: driver and servers share the cores.\n\n");
        sb.append("```\n").append(command).append("\n```\n\n");
        sb.append(String.format(Locale.ROOT, "%d clients (%s threads, %s), RegisterTaskDefinition over %d families,"
                        + " %s warm-up then %s measured per run%s.%n%n", s.clients(), s.virtualThreads() ? "virtual" : "platform",
                measured.stream().map(Measured::reported).filter(r -> r != null).map(ApiBench.Result::transport)
                        .findFirst().orElse(s.transport()), Operation.families(), human(s.warmup()),
                human(s.duration()),
                repeat > 1 ? "; " + repeat + " runs each: reported is the median of the runs other processes left"
                        + " quiet (by ops/s in a closed loop, by p99 at an offered rate), else the least disturbed"
                        : ""));
        sb.append(table);
        sb.append("\nAll runs:\n\n");
        for (Measured m : measured) {
            for (ApiBench.Result r : m.runs()) {
                sb.append(String.format(Locale.ROOT,
                        "- %s %s, %s: %,.0f ops/s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms, %d errors%s; "
                                + "CPU cores: server %.2f (%.0f µs/req), driver %.2f (%.0f µs/req), the other server "
                                + "%.2f, other processes %.2f%n",
                        m.target(), m.op().apiName(), m.load(), r.throughput(), r.percentileMillis(50),
                        r.percentileMillis(99), r.percentileMillis(99.9), r.maxMillis(), r.errors(),
                        r.errors() > 0 ? " " + r.errorKinds() : "", r.serverCores(), r.serverMicrosPerRequest(),
                        r.driverCores(), r.driverMicrosPerRequest(), r.bystanderCores(), r.othersCores()));
            }
            if (m.notRun() != null) {
                sb.append("- ").append(m.target()).append(' ').append(m.op().apiName()).append(", ").append(m.load())
                        .append(": not run: ")
                        .append(m.notRun()).append('\n');
            }
        }
        return sb.toString();
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
