package io.berth.it;

import io.berth.core.arn.Account;
import io.berth.server.BerthServer;
import io.berth.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * A real Berth server in this JVM on a free loopback port with its own data directory, and an AWS
 * SDK v2 ECS client pointed at it. One per test class; {@link #reset()} between tests. With
 * {@code -Dberth.it.store=postgresql} the server keeps its state in a fresh database on the test
 * PostgreSQL cluster instead of SQLite (to run the end-to-end suites on that store).
 */
public final class BerthFixture implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "000000000000";

    private final Path dataDir;
    private final String store;
    private final double healthCheckTimeScale;
    private int port;
    private BerthServer server;
    private EcsClient ecs;

    public BerthFixture() throws Exception {
        this(1.0);
    }

    /** A server whose load balancer health checks run {@code healthCheckTimeScale} times their intervals. */
    public BerthFixture(double healthCheckTimeScale) throws Exception {
        this.dataDir = Files.createTempDirectory("berth-it-");
        this.store = "postgresql".equals(System.getProperty("berth.it.store"))
                ? io.berth.testkit.postgres.PostgresCluster.shared().storeUrl(
                        io.berth.testkit.postgres.PostgresCluster.shared().createDatabase())
                : null;
        this.healthCheckTimeScale = healthCheckTimeScale;
        start();
    }

    private void start() throws Exception {
        server = BerthServer.start(new ServerConfig("127.0.0.1", port, dataDir, new Account(ACCOUNT, REGION), true,
                null, null, store), healthCheckTimeScale);
        port = server.port();
        ecs = EcsClient.builder()
                .endpointOverride(URI.create(server.endpoint()))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        server.credentials().accessKeyId(), server.credentials().secretAccessKey())))
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD))
                .build();
    }

    /** Stops the server (as a clean shutdown) and starts it again on the same data and port. */
    public void restart() throws Exception {
        ecs.close();
        server.close();
        start();
    }

    public EcsClient ecs() {
        return ecs;
    }

    public BerthServer server() {
        return server;
    }

    public String endpoint() {
        return server.endpoint();
    }

    public Path dataDir() {
        return dataDir;
    }

    public void reset() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.endpoint() + "/_berth/reset"))
                        .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("reset failed: " + response.statusCode() + " " + response.body());
        }
    }

    @Override
    public void close() throws Exception {
        ecs.close();
        server.close();
    }
}
