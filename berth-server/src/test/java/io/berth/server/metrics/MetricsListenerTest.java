package io.berth.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The agent's own /metrics listener: loopback, a free port, /metrics only. */
class MetricsListenerTest {

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheRegistryOnMetricsAndNothingElse() throws Exception {
        try (MicrometerMetrics metrics = new MicrometerMetrics();
             MetricsListener listener = MetricsListener.start("127.0.0.1", 0, metrics)) {
            metrics.gauge("berth.agent.containers", () -> 2, "phase", "running");

            HttpResponse<String> scrape = get(listener.port(), "/metrics");

            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("content-type")).hasValue(MetricsRoute.CONTENT_TYPE);
            assertThat(scrape.body()).contains("berth_agent_containers{phase=\"running\"} 2");
            assertThat(get(listener.port(), "/").statusCode()).isEqualTo(404);
            assertThat(listener.address().getAddress().isLoopbackAddress()).isTrue();
        }
    }
}
