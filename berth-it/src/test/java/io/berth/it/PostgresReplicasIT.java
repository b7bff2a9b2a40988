package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.arn.Account;
import io.berth.server.BerthServer;
import io.berth.server.ServerConfig;
import io.berth.testkit.postgres.PostgresCluster;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Cluster;

/**
 * Two Berth servers on one PostgreSQL database (a private test cluster): what one acknowledges the
 * other serves at once, and concurrent writes through both lose nothing. Skipped when PostgreSQL is
 * not installed, unless {@code berth.requirePostgres=true}.
 */
class PostgresReplicasIT {
    private static final String KEY_ID = "AKIAITREPLICAS000001";
    private static final String SECRET = "it-secret-replicas-0123456789abcdefghijkl";

    private final List<BerthServer> servers = new ArrayList<>();
    private final List<EcsClient> clients = new ArrayList<>();

    @BeforeEach
    void startTwoReplicas() throws Exception {
        PostgresCluster cluster = PostgresCluster.shared();
        String store = cluster.storeUrl(cluster.createDatabase());
        for (int i = 0; i < 2; i++) {
            BerthServer server = BerthServer.start(new ServerConfig("127.0.0.1", 0,
                    Files.createTempDirectory("berth-replica-"), new Account(BerthFixture.ACCOUNT, BerthFixture.REGION),
                    false, KEY_ID, SECRET, store));
            servers.add(server);
            clients.add(EcsClient.builder()
                    .endpointOverride(URI.create(server.endpoint()))
                    .region(Region.of(BerthFixture.REGION))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)))
                    .httpClientBuilder(ApacheHttpClient.builder().maxConnections(16))
                    .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD))
                    .build());
        }
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(EcsClient::close);
        for (BerthServer server : servers) {
            server.close();
        }
    }

    @Test
    void whatOneReplicaAcknowledgesTheOtherServes() {
        EcsClient a = clients.get(0);
        EcsClient b = clients.get(1);

        a.createCluster(r -> r.clusterName("shared"));
        a.registerTaskDefinition(r -> r.family("web")
                .containerDefinitions(c -> c.name("app").image("app:1").memory(64)));

        assertThat(b.describeClusters(r -> r.clusters("shared")).clusters())
                .extracting(Cluster::clusterName, Cluster::status).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("shared", "ACTIVE"));
        assertThat(b.registerTaskDefinition(r -> r.family("web")
                .containerDefinitions(c -> c.name("app").image("app:2").memory(64))).taskDefinition().revision())
                .isEqualTo(2);
        assertThat(a.listTaskDefinitions(r -> r.familyPrefix("web")).taskDefinitionArns()).hasSize(2);

        b.deleteCluster(r -> r.cluster("shared"));
        assertThat(a.describeClusters(r -> r.clusters("shared")).clusters())
                .extracting(Cluster::status).containsExactly("INACTIVE");
    }

    @Test
    void concurrentRegistrationsOfOneFamilyThroughBothReplicasGetEveryRevisionOnce() throws Exception {
        int writers = 8;
        int each = 10;
        ConcurrentLinkedQueue<Integer> revisions = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                EcsClient ecs = clients.get(w % 2);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        revisions.add(ecs.registerTaskDefinition(r -> r.family("busy")
                                .containerDefinitions(c -> c.name("app").image("app:1").memory(64)))
                                .taskDefinition().revision());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(180, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Integer> expected = new ArrayList<>();
        for (int r = 1; r <= writers * each; r++) {
            expected.add(r);
        }
        assertThat(revisions).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(clients.get(0).listTaskDefinitions(r -> r.familyPrefix("busy").maxResults(100))
                .taskDefinitionArns()).hasSize(writers * each);
    }
}
