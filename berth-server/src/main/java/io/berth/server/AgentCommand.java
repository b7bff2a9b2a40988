package io.berth.server;

import io.berth.agent.AgentConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import io.berth.server.metrics.MetricsListener;
import io.berth.server.metrics.MicrometerMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth agent --server URL [--cluster NAME] [--simulate N]}. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Run a host agent: registers this host's Docker Engine as a container instance.")
final class AgentCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, defaultValue = "${env:BERTH_SERVER:-http://127.0.0.1:4566}",
            description = "The Berth server (BERTH_SERVER; default ${DEFAULT-VALUE}).")
    URI server;

    @Option(names = "--state-dir", defaultValue = "${env:BERTH_AGENT_STATE_DIR:-${sys:user.home}/.berth/agent}",
            description = "Where the agent keeps its identity (default ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--region", defaultValue = "${env:BERTH_REGION:-us-east-1}")
    String region;

    @Option(names = "--credentials", defaultValue = "${sys:user.home}/.berth/credentials",
            description = "AWS shared-credentials file with profile 'berth', when BERTH_ACCESS_KEY_ID is not set "
                    + "(default ${DEFAULT-VALUE}).")
    Path credentials;

    @Option(names = "--simulate", defaultValue = "0",
            description = "Register N hollow instances that run no containers (scale tests only).")
    int simulate;

    @Option(names = "--simulate-cpu", defaultValue = "4096")
    int simulateCpu;

    @Option(names = "--simulate-memory", defaultValue = "16384")
    int simulateMemory;

    @Option(names = "--simulate-start-delay", defaultValue = "PT0.5S")
    Duration simulateStartDelay;

    @Option(names = "--simulate-stop-delay", defaultValue = "PT0.2S")
    Duration simulateStopDelay;

    @Option(names = "--simulate-failure-rate", defaultValue = "0")
    double simulateFailureRate;

    @Option(names = "--metrics-address", defaultValue = "${env:BERTH_AGENT_METRICS_ADDRESS:-127.0.0.1}",
            description = "Address of the agent's Prometheus GET /metrics listener (default ${DEFAULT-VALUE}).")
    String metricsAddress;

    @Option(names = "--metrics-port", defaultValue = "${env:BERTH_AGENT_METRICS_PORT:-51681}",
            description = "Port of the agent's /metrics listener; 0 picks a free one, -1 turns it off "
                    + "(default ${DEFAULT-VALUE}).")
    int metricsPort;

    @Mixin
    AgentOptions options = new AgentOptions();

    @Override
    public Integer call() throws Exception {
        String[] key = credentials();
        if (key == null) {
            System.err.println("berth agent: no credentials: set BERTH_ACCESS_KEY_ID and BERTH_SECRET_ACCESS_KEY, "
                    + "or give --credentials (an AWS credentials file with profile 'berth')");
            return 2;
        }
        AgentConfig config = options.config(server, stateDir, region, key[0], key[1]);
        MicrometerMetrics metrics = MicrometerMetrics.withJvmMeters();
        MetricsListener listener = null;
        if (metricsPort >= 0) {
            try {
                listener = MetricsListener.start(metricsAddress, metricsPort, metrics);
                System.out.println("Berth agent: metrics at http://" + metricsAddress + ":" + listener.port()
                        + "/metrics");
            } catch (Exception e) {
                System.err.println("berth agent: cannot serve metrics on " + metricsAddress + ":" + metricsPort
                        + ": " + e.getMessage() + " (running without; --metrics-port -1 turns it off)");
            }
        }
        AutoCloseable running;
        if (simulate > 0) {
            running = LocalAgents.hollow(config, simulate, simulateCpu, simulateMemory, simulateStartDelay,
                    simulateStopDelay, simulateFailureRate, List.of());
            System.out.println("Berth agent: " + simulate + " hollow instances joined cluster " + config.cluster()
                    + " at " + server);
        } else {
            running = LocalAgents.docker(config, metrics);
            System.out.println("Berth agent: joining cluster " + config.cluster() + " at " + server);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        MetricsListener metricsListener = listener;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
                if (metricsListener != null) {
                    metricsListener.close();
                }
            } catch (Exception ignored) {
                // exiting anyway
            }
            stopped.countDown();
        }, "agent-shutdown"));
        stopped.await();
        return 0;
    }

    private String[] credentials() throws IOException {
        String id = System.getenv("BERTH_ACCESS_KEY_ID");
        String secret = System.getenv("BERTH_SECRET_ACCESS_KEY");
        if (id != null && secret != null) {
            return new String[] {id, secret};
        }
        if (!Files.exists(credentials)) {
            return null;
        }
        String keyId = null;
        String sec = null;
        boolean inProfile = false;
        for (String line : Files.readAllLines(credentials)) {
            String t = line.trim();
            if (t.startsWith("[")) {
                inProfile = t.equals("[berth]");
            } else if (inProfile && t.startsWith("aws_access_key_id")) {
                keyId = t.substring(t.indexOf('=') + 1).trim();
            } else if (inProfile && t.startsWith("aws_secret_access_key")) {
                sec = t.substring(t.indexOf('=') + 1).trim();
            }
        }
        return keyId != null && sec != null ? new String[] {keyId, sec} : null;
    }
}
