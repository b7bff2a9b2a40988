package io.berth.server;

import io.berth.core.arn.Account;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth up | server | version}. */
@Command(name = "berth", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        subcommands = {Main.Up.class, Main.Server.class, AgentCommand.class, TestImagesCommand.class,
                CommandLine.HelpCommand.class},
        description = "Berth: Amazon ECS and ECR semantics on your own machines.")
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"berth " + (v == null ? "dev" : v)};
        }
    }

    /** Options shared by every command that runs a server. */
    static class ServerOptions {
        @Option(names = "--host", defaultValue = "${env:BERTH_HOST:-127.0.0.1}",
                description = "Address to listen on (BERTH_HOST; default ${DEFAULT-VALUE}).")
        String host;

        @Option(names = "--port", defaultValue = "${env:BERTH_PORT:-4566}",
                description = "API port (BERTH_PORT; default ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--data-dir", defaultValue = "${env:BERTH_DATA_DIR:-${sys:user.home}/.berth}",
                description = "Data directory (BERTH_DATA_DIR; default ${DEFAULT-VALUE}).")
        Path dataDir;

        @Option(names = "--region", defaultValue = "${env:BERTH_REGION:-us-east-1}",
                description = "Region Berth speaks for (BERTH_REGION; default ${DEFAULT-VALUE}).")
        String region;

        @Option(names = "--account-id", defaultValue = "${env:BERTH_ACCOUNT_ID:-000000000000}",
                description = "Account id in ARNs (BERTH_ACCOUNT_ID; default ${DEFAULT-VALUE}).")
        String accountId;

        @Option(names = {"--store", "--database-url"}, defaultValue = "${env:BERTH_STORE}", paramLabel = "URL",
                description = "Where the state lives (BERTH_STORE): postgresql://user:password@host:port/db for a"
                        + " PostgreSQL database several servers can share; default: SQLite in the data directory.")
        String store;

        @Option(names = "--advertise-host", defaultValue = "${env:BERTH_ADVERTISE_HOST}", paramLabel = "HOST",
                description = "Host name or address other machines reach this server at, used in the registry's"
                        + " repositoryUri and docker login address (BERTH_ADVERTISE_HOST; default: the listen"
                        + " address, or 127.0.0.1 when listening on every address).")
        String advertiseHost;

        @Option(names = "--osv-dir", defaultValue = "${env:BERTH_OSV_DIR}", paramLabel = "DIR",
                description = "Directory of OSV vulnerability files image scanning matches packages against"
                        + " (BERTH_OSV_DIR; default: registry/osv in the data directory).")
        Path osvDir;

        @Option(names = "--allow-reset", defaultValue = "${env:BERTH_ALLOW_RESET:-false}",
                description = "Enable POST /_berth/reset, which wipes all state (for test suites).")
        boolean allowReset;

        ServerConfig config() {
            String keyId = System.getenv("BERTH_ACCESS_KEY_ID");
            String secret = System.getenv("BERTH_SECRET_ACCESS_KEY");
            return new ServerConfig(host, port, dataDir.toAbsolutePath(), new Account(accountId, region), allowReset,
                    keyId == null || keyId.isEmpty() ? null : keyId,
                    secret == null || secret.isEmpty() ? null : secret,
                    store == null || store.isBlank() ? null : store,
                    advertiseHost == null || advertiseHost.isBlank() ? null : advertiseHost.trim(),
                    osvDir == null || osvDir.toString().isBlank() ? null : osvDir.toAbsolutePath());
        }

        /** Called once the server is up; returns what to close with it. */
        AutoCloseable afterStart(BerthServer server, ServerConfig config) {
            return () -> { };
        }

        int run() throws Exception {
            ServerConfig config;
            try {
                config = config();
            } catch (IllegalArgumentException e) {
                System.err.println("berth: " + e.getMessage());
                return 2;
            }
            System.err.println("berth: state store: " + io.berth.store.StateStores.describe(config.store(),
                    config.dataDir()));
            BerthServer server;
            try {
                server = BerthServer.start(config);
            } catch (java.io.IOException e) {
                System.err.println("berth: cannot start on " + config.host() + ":" + config.port() + ": " + e.getMessage());
                return 1;
            } catch (io.berth.core.store.StoreUnavailableException | IllegalStateException e) {
                System.err.println("berth: cannot open the state store: " + e.getMessage());
                return 1;
            }
            AutoCloseable extra = afterStart(server, config);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    extra.close();
                } catch (Exception ignored) {
                    // exiting anyway
                }
                try {
                    server.close();
                } catch (Exception ignored) {
                    // exiting anyway
                }
                stopped.countDown();
            }, "berth-shutdown"));
            RootCredentials creds = server.credentials();
            if (server.credentialsCreated()) {
                System.err.println("berth: generated a root access key " + creds.accessKeyId()
                        + "; written as profile 'berth' to " + creds.file());
            }
            System.out.println("Berth is ready at " + server.endpoint() + " (account " + config.account().accountId()
                    + ", " + config.account().region() + "). Try: AWS_SHARED_CREDENTIALS_FILE=" + creds.file()
                    + " AWS_PROFILE=berth AWS_REGION=" + config.account().region()
                    + " aws --endpoint-url " + server.endpoint() + " ecs list-clusters");
            System.out.flush();
            stopped.await();
            return 0;
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Run Berth on this machine in the foreground: the server with its embedded store, "
                    + "and an agent for this host's Docker Engine.")
    static final class Up extends ServerOptions implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        AgentOptions agent = new AgentOptions();

        @Option(names = "--no-agent", description = "Do not run an agent for this host.")
        boolean noAgent;

        @Override
        public Integer call() throws Exception {
            return run();
        }

        @Override
        AutoCloseable afterStart(BerthServer server, ServerConfig config) {
            if (noAgent) {
                return () -> { };
            }
            try {
                if (agent.pullBehavior == null) {
                    agent.pullBehavior = "prefer-cached";
                }
                var agentConfig = agent.config(java.net.URI.create(server.endpoint()),
                        config.dataDir().resolve("agent"), config.account().region(),
                        server.credentials().accessKeyId(), server.credentials().secretAccessKey());
                java.util.List<Integer> reserved = new java.util.ArrayList<>(agentConfig.reservedPorts());
                reserved.add(server.port());
                // The local agent's meters go to the server's registry: one /metrics for the machine.
                return LocalAgents.docker(agentConfig.withReservedPorts(reserved), server.metrics());
            } catch (RuntimeException e) {
                System.err.println("berth: running without an agent: " + e.getMessage()
                        + ". Tasks cannot run until an agent joins (bin/berth agent).");
                return () -> { };
            }
        }
    }

    @Command(name = "server", mixinStandardHelpOptions = true,
            description = "Run only the control plane (API, store) in the foreground.")
    static final class Server extends ServerOptions implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return run();
        }
    }
}
