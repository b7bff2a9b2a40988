package io.berth.server.metrics;

import java.net.InetSocketAddress;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A small HTTP listener of its own that serves only {@code GET /metrics}: what {@code berth agent}
 * runs so that Prometheus can scrape each host (default 127.0.0.1). Every other path is 404.
 */
public final class MetricsListener implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    private MetricsListener(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** Starts listening on {@code host:port} (0: a free port). */
    public static MetricsListener start(String host, int port, MicrometerMetrics metrics) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(8, 1);
        pool.setName("metrics");
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        MetricsRoute route = new MetricsRoute(metrics);
        server.setHandler(new Handler.Abstract(Handler.Abstract.InvocationType.BLOCKING) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = request.getHttpURI().getPath();
                if (path == null || !path.startsWith(route.pathPrefix())) {
                    return false; // Jetty answers 404
                }
                route.handle(request, response, callback);
                return true;
            }
        });
        server.setStopTimeout(0); // nothing to drain: a scrape cut short is retried by the scraper
        server.start();
        return new MetricsListener(server, connector);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost() == null ? "0.0.0.0" : connector.getHost(),
                connector.getLocalPort());
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } catch (java.util.concurrent.TimeoutException e) {
            // the connectors are closed; a scraper's idle keep-alive connection does not matter
        }
    }
}
