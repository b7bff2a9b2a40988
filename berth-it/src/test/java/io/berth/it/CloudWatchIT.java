package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricStatisticsResponse;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * The CloudWatch metrics API with the AWS SDK v2 (it speaks RPC v2 CBOR) and the AWS CLI v2 (the query
 * protocol), against a server in this JVM.
 */
class CloudWatchIT {
    private static final Path AWS = Path.of(System.getenv().getOrDefault("BERTH_AWS_CLI", "/usr/bin/aws"));
    private static BerthFixture berth;
    private static CloudWatchClient cloudWatch;

    @BeforeAll
    static void start() throws Exception {
        berth = new BerthFixture();
        cloudWatch = CloudWatchClient.builder()
                .endpointOverride(URI.create(berth.endpoint()))
                .region(Region.of(BerthFixture.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        berth.server().credentials().accessKeyId(), berth.server().credentials().secretAccessKey())))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        cloudWatch.close();
        berth.close();
    }

    @Test
    void theSdkPutsMetricsAndReadsStatisticsDataAndTheList() {
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(10, ChronoUnit.MINUTES);
        Dimension web = Dimension.builder().name("Service").value("web").build();
        cloudWatch.putMetricData(r -> r.namespace("Berth/Test").metricData(
                d -> d.metricName("Latency").dimensions(web).timestamp(minute.plusSeconds(5)).value(10.0)
                        .unit(StandardUnit.MILLISECONDS),
                d -> d.metricName("Latency").dimensions(web).timestamp(minute.plusSeconds(35)).value(20.0)
                        .unit(StandardUnit.MILLISECONDS),
                d -> d.metricName("Latency").dimensions(web).timestamp(minute.plusSeconds(65)).statisticValues(
                        s -> s.sampleCount(4.0).sum(8.0).minimum(1.0).maximum(3.0)).unit(StandardUnit.MILLISECONDS)));

        GetMetricStatisticsResponse stats = cloudWatch.getMetricStatistics(r -> r.namespace("Berth/Test")
                .metricName("Latency").dimensions(web).startTime(minute.minusSeconds(60)).endTime(minute.plusSeconds(300))
                .period(60).statistics(Statistic.AVERAGE, Statistic.MAXIMUM, Statistic.SAMPLE_COUNT));

        assertThat(stats.label()).isEqualTo("Latency");
        List<Datapoint> points = new ArrayList<>(stats.datapoints());
        points.sort(java.util.Comparator.comparing(Datapoint::timestamp));
        assertThat(points).hasSize(2);
        assertThat(points.get(0).timestamp()).isEqualTo(minute);
        assertThat(points.get(0).average()).isEqualTo(15.0);
        assertThat(points.get(0).maximum()).isEqualTo(20.0);
        assertThat(points.get(0).sampleCount()).isEqualTo(2.0);
        assertThat(points.get(0).unit()).isEqualTo(StandardUnit.MILLISECONDS);
        assertThat(points.get(1).timestamp()).isEqualTo(minute.plusSeconds(60));
        assertThat(points.get(1).average()).isEqualTo(2.0);

        GetMetricDataResponse data = cloudWatch.getMetricData(r -> r.startTime(minute).endTime(minute.plusSeconds(120))
                .scanBy(ScanBy.TIMESTAMP_ASCENDING).metricDataQueries(q -> q.id("m1").metricStat(s -> s.metric(
                        m -> m.namespace("Berth/Test").metricName("Latency").dimensions(web)).period(60).stat("Sum"))));
        assertThat(data.metricDataResults()).singleElement().satisfies(result -> {
            assertThat(result.id()).isEqualTo("m1");
            assertThat(result.timestamps()).containsExactly(minute, minute.plusSeconds(60));
            assertThat(result.values()).containsExactly(30.0, 8.0);
            assertThat(result.statusCodeAsString()).isEqualTo("Complete");
        });

        assertThat(cloudWatch.listMetrics(r -> r.namespace("Berth/Test")).metrics())
                .extracting(Metric::metricName, Metric::dimensions)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Latency", List.of(web)));
        assertThat(cloudWatch.listMetrics(r -> r.namespace("Berth/Test").dimensions(
                f -> f.name("Service").value("db"))).metrics()).isEmpty();
    }

    @Test
    void awsNamespacesAndBadPeriodsAreRefusedAsCloudWatchDoes() {
        assertThatThrownBy(() -> cloudWatch.putMetricData(r -> r.namespace("AWS/ECS").metricData(
                d -> d.metricName("CPUUtilization").value(1.0))))
                .isInstanceOfSatisfying(InvalidParameterValueException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).contains("AWS/ECS");
                });
        Instant now = Instant.now();
        assertThatThrownBy(() -> cloudWatch.getMetricStatistics(r -> r.namespace("Berth/Test").metricName("x")
                .startTime(now.minusSeconds(600)).endTime(now).period(7).statistics(Statistic.SUM)))
                .isInstanceOf(InvalidParameterValueException.class);
    }

    private record Run(int exit, String out) {
    }

    private static Run aws(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(AWS.toString(), "--endpoint-url", berth.endpoint(),
                "--output", "text", "cloudwatch"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("AWS_ACCESS_KEY_ID", berth.server().credentials().accessKeyId());
        builder.environment().put("AWS_SECRET_ACCESS_KEY", berth.server().credentials().secretAccessKey());
        builder.environment().put("AWS_REGION", BerthFixture.REGION);
        builder.environment().put("AWS_PAGER", "");
        builder.environment().remove("AWS_PROFILE");
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void theCliPutsAMetricAndGetsItsStatistics() throws Exception {
        assertThat(AWS).as("the AWS CLI v2").isExecutable();
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(5, ChronoUnit.MINUTES);
        Run put = aws("put-metric-data", "--namespace", "Berth/Cli", "--metric-name", "Hits", "--dimensions",
                "Host=a", "--value", "3", "--unit", "Count", "--timestamp", minute.plusSeconds(10).toString());
        assertThat(put.exit()).as(put.out()).isZero();
        assertThat(aws("put-metric-data", "--namespace", "Berth/Cli", "--metric-name", "Hits", "--dimensions",
                "Host=a", "--value", "4", "--unit", "Count", "--timestamp", minute.plusSeconds(20).toString()).exit())
                .isZero();

        Run stats = aws("get-metric-statistics", "--namespace", "Berth/Cli", "--metric-name", "Hits",
                "--dimensions", "Name=Host,Value=a", "--start-time", minute.minusSeconds(60).toString(),
                "--end-time", minute.plusSeconds(120).toString(), "--period", "60", "--statistics", "Sum", "Maximum",
                "--query", "Datapoints[0].[Timestamp,Sum,Maximum,Unit]");
        assertThat(stats.exit()).as(stats.out()).isZero();
        assertThat(stats.out().split("\t")).containsExactly(minute.toString().replace("Z", "+00:00"), "7.0", "4.0",
                "Count");

        Run data = aws("get-metric-data", "--start-time", minute.toString(), "--end-time",
                minute.plusSeconds(60).toString(), "--metric-data-queries",
                "[{\"Id\":\"hits\",\"MetricStat\":{\"Metric\":{\"Namespace\":\"Berth/Cli\",\"MetricName\":\"Hits\","
                        + "\"Dimensions\":[{\"Name\":\"Host\",\"Value\":\"a\"}]},\"Period\":60,\"Stat\":\"Average\"}}]",
                "--query", "MetricDataResults[0].[Id,StatusCode,Values[0]]");
        assertThat(data.exit()).as(data.out()).isZero();
        assertThat(data.out().split("\t")).containsExactly("hits", "Complete", "3.5");

        Run list = aws("list-metrics", "--namespace", "Berth/Cli", "--query", "Metrics[].[MetricName,Dimensions[0].Value]");
        assertThat(list.out()).isEqualTo("Hits\ta");

        Run refused = aws("put-metric-data", "--namespace", "AWS/ECS", "--metric-name", "CPUUtilization",
                "--value", "1");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.out()).contains("InvalidParameterValue");
    }
}
