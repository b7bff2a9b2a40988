package io.berth.testkit.postgres;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster for tests: {@code initdb} into a temporary directory, {@code pg_ctl
 * start} listening on 127.0.0.1 on a free port (and on a socket in that directory), stopped and
 * deleted when the JVM exits. Tests get a fresh database each with {@link #createDatabase()}.
 *
 * <pre>
 *  /tmp/berth-pg-XXXX/
 *    data/          the cluster (owned by the user it runs as)
 *    pwfile         the superuser's password, read by initdb
 *    postgres.log   the server's log
 * </pre>
 *
 * <p>The binaries come from {@code -Dberth.postgres.bin}, {@code BERTH_POSTGRES_BIN}, or the newest
 * {@code /usr/lib/postgresql/N/bin} (Debian's layout). PostgreSQL refuses to run as root, so as
 * root the cluster runs as the {@code postgres} user (via {@code runuser}). Without binaries the
 * calling test is skipped, unless {@code -Dberth.requirePostgres=true}, when it fails.
 *
 * <p>Thread-safe. One cluster per JVM ({@link #shared()}); its superuser is {@value #USER} with
 * password {@value #PASSWORD}, required on TCP connections (SCRAM), as a real deployment would.
 */
public final class PostgresCluster {

    public static final String USER = "berth";
    public static final String PASSWORD = "berth-test-password";
    private static final String RUN_AS_WHEN_ROOT = "postgres";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresCluster shared;

    private final Path bin;
    private final Path root;
    private final Path data;
    private final int port;
    private final String runAs;

    private PostgresCluster(Path bin, Path root, int port, String runAs) {
        this.bin = bin;
        this.root = root;
        this.data = root.resolve("data");
        this.port = port;
        this.runAs = runAs;
    }

    /**
     * The JVM's cluster, started on first use. Skips the calling test (or fails it, with
     * {@code berth.requirePostgres}) when PostgreSQL is not installed.
     */
    public static synchronized PostgresCluster shared() {
        if (shared == null) {
            Optional<Path> bin = binaries();
            if (bin.isEmpty()) {
                String why = "PostgreSQL is not installed (no initdb in -Dberth.postgres.bin, BERTH_POSTGRES_BIN"
                        + " or /usr/lib/postgresql/*/bin)";
                if (Boolean.getBoolean("berth.requirePostgres")) {
                    fail(why + " and berth.requirePostgres=true");
                }
                assumeTrue(false, why);
            }
            PostgresCluster cluster = start(bin.get());
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "berth-postgres-stop"));
            shared = cluster;
        }
        return shared;
    }

    /** The directory holding {@code initdb}, {@code pg_ctl} and {@code postgres}, if installed. */
    public static Optional<Path> binaries() {
        String configured = System.getProperty("berth.postgres.bin", System.getenv("BERTH_POSTGRES_BIN"));
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            return Files.isExecutable(p.resolve("initdb")) ? Optional.of(p) : Optional.empty();
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(debian)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(debian)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                    .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Starts a new cluster from the binaries in {@code bin}; the caller stops it. */
    public static PostgresCluster start(Path bin) {
        try {
            String runAs = isRoot() ? RUN_AS_WHEN_ROOT : null;
            Path root = Files.createTempDirectory("berth-pg-");
            Files.writeString(root.resolve("pwfile"), PASSWORD + "\n", StandardCharsets.UTF_8);
            if (runAs != null) {
                UserPrincipalLookupService users = root.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(root, users.lookupPrincipalByName(runAs));
                Files.setOwner(root.resolve("pwfile"), users.lookupPrincipalByName(runAs));
            }
            IOException last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                PostgresCluster cluster = new PostgresCluster(bin, root, freePort(), runAs);
                try {
                    if (attempt == 0) {
                        cluster.run(List.of(bin.resolve("initdb").toString(), "-D", cluster.data.toString(),
                                "-U", USER, "--pwfile", root.resolve("pwfile").toString(), "-E", "UTF8",
                                "--locale", "C", "--auth-local", "trust", "--auth-host", "scram-sha-256"), 120);
                    }
                    cluster.run(List.of(bin.resolve("pg_ctl").toString(), "-D", cluster.data.toString(),
                            "-l", root.resolve("postgres.log").toString(), "-w", "-t", "120", "-o",
                            "-p " + cluster.port + " -k " + root + " -c listen_addresses=127.0.0.1"
                                    + " -c max_connections=200 -c shared_buffers=32MB",
                            "start"), 150);
                    return cluster;
                } catch (IOException e) {
                    last = e; // most likely the port was taken meanwhile: try another
                }
            }
            throw last;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a PostgreSQL cluster: " + e.getMessage(), e);
        }
    }

    /** A JDBC URL of the database {@code name} on this cluster (password not included). */
    public String jdbcUrl(String name) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    }

    /** The {@code postgresql://user:pass@host:port/db} form Berth's {@code --store} takes. */
    public String storeUrl(String name) {
        return "postgresql://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/" + name;
    }

    public int port() {
        return port;
    }

    /** Creates a new, empty database and returns its name. */
    public String createDatabase() {
        String name = "berth_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        execute("CREATE DATABASE " + name);
        return name;
    }

    /** Runs {@code sql} as the superuser in the {@code postgres} database. */
    public void execute(String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
                Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("on the test cluster, " + sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops the server and deletes its directory. The shutdown is {@code immediate} (no final
     * checkpoint): the data is thrown away, and a checkpoint of many test databases takes long.
     */
    public void stop() {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"),
                    60);
        } catch (IOException e) {
            System.err.println("berth: could not stop the test PostgreSQL in " + root + ": " + e.getMessage());
            return;
        }
        for (int attempt = 0; attempt < 3 && Files.exists(root); attempt++) {
            try (Stream<Path> files = Files.walk(root)) { // again if the server's last files raced the walk
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // try again
            }
        }
    }

    private void run(List<String> command, int timeoutSeconds) throws IOException {
        List<String> full = new ArrayList<>();
        if (runAs != null) {
            full.addAll(List.of("runuser", "-u", runAs, "--"));
        }
        full.addAll(command);
        Path log = Files.createTempFile("berth-pg-cmd-", ".log");
        try {
            Process p = new ProcessBuilder(full).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", full) + " did not finish in " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0) {
                String out = Files.readString(log);
                Path serverLog = root.resolve("postgres.log");
                if (Files.isReadable(serverLog)) {
                    out += "\n--- postgres.log:\n" + Files.readString(serverLog);
                }
                throw new IOException(String.join(" ", full) + " exited " + p.exitValue() + ":\n" + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static boolean isRoot() {
        try {
            Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor(10, TimeUnit.SECONDS);
            return out.equals("0");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
