package io.berth.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Berth as a separate JVM ({@code berth server}), for what an in-process server cannot show: a
 * {@code kill -9}, a real launcher's output. Stopped only by its own PID.
 */
final class ServerProcess implements AutoCloseable {
    static final String KEY_ID = "AKIAITDURABILITY001";
    static final String SECRET = "it-secret-durability-0123456789abcdefghij";
    private static final Pattern READY = Pattern.compile("Berth is ready at (http://\\S+) ");

    private final Process process;
    private final String endpoint;
    private final List<String> output = new ArrayList<>();

    private ServerProcess(Process process, String endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    static ServerProcess start(Path dataDir, String... extraArgs) throws IOException {
        return start("server", dataDir, extraArgs);
    }

    /** The Java command that runs {@code berth} with this JVM's class path. */
    static List<String> berthCommand() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.berth.server.Main");
    }

    static ServerProcess start(String subcommand, Path dataDir, String... extraArgs) throws IOException {
        List<String> command = new ArrayList<>(berthCommand());
        command.addAll(List.of(subcommand, "--port", "0", "--data-dir", dataDir.toString()));
        command.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("BERTH_ACCESS_KEY_ID", KEY_ID);
        builder.environment().put("BERTH_SECRET_ACCESS_KEY", SECRET);
        builder.environment().put("BERTH_LOG_LEVEL", "WARN");
        Process process = builder.start();
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                StringBuilder seen = new StringBuilder();
                for (String line; (line = reader.readLine()) != null; ) {
                    seen.append(line).append('\n');
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        return m.group(1);
                    }
                }
                throw new IllegalStateException("server exited before it was ready:\n" + seen);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            String endpoint = ready.get(60, TimeUnit.SECONDS);
            Thread drain = new Thread(() -> {
                try {
                    while (reader.readLine() != null) {
                        // keep the pipe from filling
                    }
                } catch (IOException ignored) {
                    // process gone
                }
            }, "server-output");
            drain.setDaemon(true);
            drain.start();
            return new ServerProcess(process, endpoint);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException("Berth did not start", e);
        }
    }

    String endpoint() {
        return endpoint;
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no flush. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(Duration.ofSeconds(15).toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
