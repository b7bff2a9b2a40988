package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.agent.metadata.MetadataService;
import io.berth.testkit.images.TestImages;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * On the real Docker Engine: a service whose container spins a CPU shows AWS/ECS CPUUtilization above
 * 0 for its service and its cluster (agent samples every second → usage reports → server → CloudWatch).
 */
class EcsMetricsDockerIT {
    private static DockerFixture docker;
    private static CloudWatchClient cloudWatch;

    @BeforeAll
    static void start() throws Exception {
        docker = DockerFixture.start(() -> List.of(new MetadataService(MetadataService.Settings.defaults()
                .withPort(0).withStatsInterval(Duration.ofSeconds(1)))));
        cloudWatch = CloudWatchClient.builder()
                .endpointOverride(URI.create(docker.berth.endpoint()))
                .region(Region.of(BerthFixture.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        docker.berth.server().credentials().accessKeyId(),
                        docker.berth.server().credentials().secretAccessKey())))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cloudWatch != null) {
            cloudWatch.close();
        }
        if (docker != null) {
            docker.close();
        }
    }

    private static List<Datapoint> statistics(String metric, Dimension... dimensions) {
        Instant now = Instant.now();
        return cloudWatch.getMetricStatistics(r -> r.namespace("AWS/ECS").metricName(metric).dimensions(dimensions)
                .startTime(now.minus(Duration.ofMinutes(10))).endTime(now.plus(Duration.ofMinutes(1))).period(60)
                .statistics(Statistic.MAXIMUM, Statistic.SAMPLE_COUNT)).datapoints();
    }

    @Test
    void aBusyServiceShowsCpuUtilisationForItsServiceAndCluster() {
        String td = docker.ecs().registerTaskDefinition(r -> r.family("busy").cpu("256").memory("64")
                .containerDefinitions(c -> c.name("spin").image(TestImages.BUSYBOX).essential(true)
                        .command("sh", "-c", "while :; do :; done"))).taskDefinition().taskDefinitionArn();
        docker.ecs().createService(s -> s.serviceName("busy").taskDefinition(td).desiredCount(1));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() ->
                docker.ecs().describeServices(d -> d.services("busy")).services().get(0).runningCount() == 1);

        Dimension cluster = Dimension.builder().name("ClusterName").value("default").build();
        Dimension service = Dimension.builder().name("ServiceName").value("busy").build();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            assertThat(statistics("CPUUtilization", cluster, service))
                    .anySatisfy(p -> assertThat(p.maximum()).isGreaterThan(0));
            assertThat(statistics("CPUUtilization", cluster)).anySatisfy(p -> assertThat(p.maximum()).isGreaterThan(0));
            assertThat(statistics("MemoryUtilization", cluster, service))
                    .anySatisfy(p -> assertThat(p.sampleCount()).isGreaterThan(0));
        });
        assertThat(cloudWatch.listMetrics(r -> r.namespace("AWS/ECS")).metrics())
                .extracting(m -> m.metricName() + " " + m.dimensions().size())
                .contains("CPUUtilization 1", "CPUUtilization 2", "MemoryUtilization 1", "MemoryUtilization 2");

        docker.ecs().updateService(u -> u.service("busy").desiredCount(0));
    }
}
