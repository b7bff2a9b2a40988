package io.berth.bench.api;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** {@link Transport} over Jetty's HttpClient, HTTP/1.1, a pool of one keep-alive connection per client. */
final class JettyTransport implements Transport {
    private final URI endpoint;
    private final HttpClient client;

    JettyTransport(URI endpoint, int clients) {
        this.endpoint = endpoint.resolve("/");
        QueuedThreadPool pool = new QueuedThreadPool(Math.max(8, Runtime.getRuntime().availableProcessors() * 2));
        pool.setName("jetty-client");
        pool.setDaemon(true);
        this.client = new HttpClient();
        client.setExecutor(pool);
        client.setMaxConnectionsPerDestination(Math.max(clients, 1));
        client.setMaxRequestsQueuedPerDestination(Math.max(1024, clients * 4));
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start Jetty's HttpClient", e);
        }
    }

    @Override
    public Connection connect(int clientNumber) {
        return (headers, body) -> {
            Request request = client.newRequest(endpoint).method(HttpMethod.POST).timeout(30, TimeUnit.SECONDS);
            request.headers(h -> headers.forEach(h::put));
            String contentType = headers.getOrDefault("Content-Type", "application/octet-stream");
            request.body(new BytesRequestContent(contentType, body));
            try {
                ContentResponse response = request.send();
                return new Reply(response.getStatus(), response.getContent());
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException(e.getCause() != null ? e.getCause() : e);
            }
        };
    }

    @Override
    public String describe() {
        return "Jetty HttpClient (HTTP/1.1, keep-alive)";
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
