package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import io.berth.testkit.postgres.PostgresCluster;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Cluster;

/**
 * Every acknowledged write survives {@code kill -9} of the server, at any moment: on the embedded
 * SQLite store, and on PostgreSQL (a private test cluster; skipped when PostgreSQL is not installed
 * unless {@code berth.requirePostgres=true}).
 */
class DurabilityIT {

    @Test
    void acknowledgedWritesSurviveKill9() throws Exception {
        killAndRestart(Files.createTempDirectory("berth-durability-"));
    }

    @Test
    void acknowledgedWritesSurviveKill9OnPostgres() throws Exception {
        PostgresCluster cluster = PostgresCluster.shared();
        String store = cluster.storeUrl(cluster.createDatabase());
        // A fresh data directory each round: everything that must survive is in the database.
        killAndRestart(null, "--store", store);
    }

    private static void killAndRestart(Path fixedDataDir, String... args) throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        for (int round = 0; round < 3; round++) {
            try (ServerProcess server = ServerProcess.start(dataDir(fixedDataDir), args)) {
                assertAllPresent(server, acknowledged);
                writeUntilKilled(server, round, acknowledged);
            }
        }
        try (ServerProcess server = ServerProcess.start(dataDir(fixedDataDir), args)) {
            assertAllPresent(server, acknowledged);
        }
        assertThat(acknowledged).hasSizeGreaterThan(100);
    }

    private static Path dataDir(Path fixed) throws java.io.IOException {
        return fixed != null ? fixed : Files.createTempDirectory("berth-durability-pg-");
    }

    private static void writeUntilKilled(ServerProcess server, int round, Set<String> acknowledged) throws Exception {
        int writers = 16;
        AtomicBoolean killed = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try (EcsClient ecs = client(server)) {
            for (int w = 0; w < writers; w++) {
                int writer = w;
                pool.submit(() -> {
                    started.countDown();
                    for (int i = 0; !killed.get() || i % 7 != 0; i++) {
                        String name = "r" + round + "-w" + writer + "-" + i;
                        try {
                            if (i % 2 == 0) {
                                ecs.createCluster(r -> r.clusterName(name));
                                acknowledged.add(name);
                            } else {
                                int revision = ecs.registerTaskDefinition(r -> r.family("fam-w" + writer)
                                        .containerDefinitions(c -> c.name("app").image("app:1").memory(64)))
                                        .taskDefinition().revision();
                                acknowledged.add("td:fam-w" + writer + ":" + revision);
                            }
                        } catch (RuntimeException e) {
                            if (killed.get()) {
                                return;
                            }
                        }
                    }
                });
            }
            started.await();
            // Kill mid-stream once this round has had some writes acknowledged (a loaded machine
            // may take long to answer the first ones), at a moment that differs from round to round.
            int before = acknowledged.size();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (acknowledged.size() < before + 40 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(200 + round * 150L);
            killed.set(true);
            server.kill9();
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static void assertAllPresent(ServerProcess server, Set<String> acknowledged) {
        List<String> names = acknowledged.stream().filter(n -> !n.startsWith("td:")).toList();
        try (EcsClient ecs = client(server)) {
            for (String td : acknowledged.stream().filter(n -> n.startsWith("td:")).toList()) {
                String ref = td.substring(3);
                assertThat(ecs.describeTaskDefinition(r -> r.taskDefinition(ref)).taskDefinition().family())
                        .isEqualTo(ref.substring(0, ref.lastIndexOf(':')));
            }
            for (int i = 0; i < names.size(); i += 100) {
                List<String> batch = names.subList(i, Math.min(names.size(), i + 100));
                List<Cluster> found = ecs.describeClusters(r -> r.clusters(batch)).clusters();
                assertThat(found).extracting(Cluster::clusterName).containsExactlyInAnyOrderElementsOf(batch);
            }
        }
    }

    private static EcsClient client(ServerProcess server) {
        return EcsClient.builder()
                .endpointOverride(URI.create(server.endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ServerProcess.KEY_ID, ServerProcess.SECRET)))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(32)
                        .connectionTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(10)))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }
}
