package io.berth.bench.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * {@link Transport} over {@code java.net.http.HttpClient}, HTTP/1.1 only, keep-alive (the client's
 * connection pool keeps one connection per concurrent client once warm).
 */
final class JdkTransport implements Transport {
    private final URI endpoint;
    private final HttpClient client;

    JdkTransport(URI endpoint, int clients) {
        this.endpoint = endpoint.resolve("/");
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    @Override
    public Connection connect(int clientNumber) {
        return (headers, body) -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(b::header);
            HttpResponse<byte[]> response = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), response.body());
        };
    }

    @Override
    public String describe() {
        return "java.net.http.HttpClient (HTTP/1.1, keep-alive)";
    }

    @Override
    public void close() {
        client.close();
    }
}
