package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.berth.aws.http.EdgeHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.EcsException;

/** Berth's own Prometheus metrics on the server port, and request ids in the logs. */
class MetricsIT {
    private static BerthFixture berth;

    @BeforeAll
    static void start() throws Exception {
        berth = new BerthFixture();
    }

    @AfterAll
    static void stop() throws Exception {
        berth.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(berth.endpoint() + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> lines(String body, String metric, String... labels) {
        return body.lines().filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "))
                .filter(l -> java.util.Arrays.stream(labels).allMatch(l::contains)).toList();
    }

    @Test
    void scrapeShowsRequestsByServiceOperationAndOutcomeWithStoreAndJvmMeters() throws Exception {
        berth.ecs().createCluster(r -> r.clusterName("metrics"));
        berth.ecs().listClusters();
        berth.ecs().listClusters();
        assertThatThrownBy(() -> berth.ecs().describeServices(r -> r.cluster("no-such").services("x")))
                .isInstanceOf(ClusterNotFoundException.class);

        // the edge records a request once its response is on its way: the client may be first
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            String text = get("/metrics").body();
            return !lines(text, "berth_requests_seconds_count", "operation=\"DescribeServices\"").isEmpty()
                    && lines(text, "berth_requests_seconds_count", "operation=\"ListClusters\"").stream()
                    .anyMatch(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) >= 2);
        });
        HttpResponse<String> scrape = get("/metrics");

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("content-type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("text/plain; version=0.0.4"));
        String body = scrape.body();
        List<String> listed = lines(body, "berth_requests_seconds_count", "operation=\"ListClusters\"",
                "service=\"ecs\"", "status=\"200\"", "error=\"\"");
        assertThat(listed).hasSize(1);
        assertThat(Double.parseDouble(listed.get(0).substring(listed.get(0).lastIndexOf(' ') + 1)))
                .isGreaterThanOrEqualTo(2);
        assertThat(lines(body, "berth_requests_seconds_count", "operation=\"DescribeServices\"",
                "status=\"400\"", "error=\"ClusterNotFoundException\"")).hasSize(1);
        assertThat(lines(body, "berth_requests_seconds_bucket", "operation=\"ListClusters\"", "le=\"0.1\""))
                .hasSize(1);
        assertThat(lines(body, "berth_store_commit_seconds_count", "outcome=\"ok\"")).hasSize(1);
        assertThat(lines(body, "berth_agent_channel_polls")).hasSize(1);
        // the service controller passes at least once a second
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                lines(get("/metrics").body(), "berth_controller_pass_seconds_count", "controller=\"service\""))
                .isNotEmpty());
        assertThat(lines(body, "jvm_memory_used_bytes")).isNotEmpty();
    }

    @Test
    void unknownOperationsShareOneSeriesAndOnlyGetIsServed() throws Exception {
        HttpResponse<String> post = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(berth.endpoint() + "/metrics")).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(get("/metrics/other").statusCode()).isEqualTo(404);
    }

    @Test
    void logLinesOfARequestCarryItsRequestIdAndAFailedRequestIsLogged() {
        Logger edge = (Logger) LoggerFactory.getLogger(EdgeHandler.class);
        Level before = edge.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent event) {
                event.prepareForDeferredProcessing(); // takes the MDC on the request's thread
                super.append(event);
            }
        };
        appender.list = new java.util.concurrent.CopyOnWriteArrayList<>(); // appended to by the server's threads
        appender.start();
        edge.addAppender(appender);
        edge.setLevel(Level.DEBUG);
        try {
            EcsException failure = (EcsException) org.assertj.core.api.Assertions.catchThrowable(() ->
                    berth.ecs().describeServices(r -> r.cluster("missing-for-log").services("x")));
            assertThat(failure).isInstanceOf(ClusterNotFoundException.class);
            String requestId = failure.requestId();
            assertThat(requestId).isNotBlank();

            // the edge logs once the response is on its way: the client may see it first
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> List.copyOf(appender.list)
                    .stream().anyMatch(e -> requestId.equals(e.getMDCPropertyMap().get(EdgeHandler.REQUEST_ID))));
            List<ILoggingEvent> mine = List.copyOf(appender.list).stream()
                    .filter(e -> requestId.equals(e.getMDCPropertyMap().get(EdgeHandler.REQUEST_ID))).toList();
            assertThat(mine).as("events with the request id %s in the MDC among %s", requestId,
                    appender.list.stream().map(e -> e.getMDCPropertyMap() + " " + e.getFormattedMessage()).toList())
                    .singleElement().satisfies(e -> {
                        assertThat(e.getLevel()).isEqualTo(Level.DEBUG);
                        assertThat(e.getFormattedMessage()).contains("ecs.DescribeServices", "400",
                                "ClusterNotFoundException");
                    });
        } finally {
            edge.detachAppender(appender);
            edge.setLevel(before);
        }
    }
}
