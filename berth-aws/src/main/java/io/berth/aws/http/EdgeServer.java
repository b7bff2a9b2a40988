package io.berth.aws.http;

import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP/1.1 server of the port that carries every AWS API and the registry: Jetty, with blocking
 * handlers run on virtual threads.
 */
public final class EdgeServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    public EdgeServer(String host, int port, EdgeHandler handler) {
        QueuedThreadPool pool = new QueuedThreadPool(64, 4);
        pool.setName("edge");
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        this.server = new Server(pool);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendDateHeader(true);
        config.setRequestHeaderSize(64 * 1024);
        config.setHeaderCacheSize(0);
        this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(120_000);
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.setHandler(handler);
        server.setStopTimeout(2_000);
    }

    public EdgeServer start() throws Exception {
        server.start();
        return this;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost() == null ? "0.0.0.0" : connector.getHost(),
                connector.getLocalPort());
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** Stops accepting, lets requests in flight finish for up to two seconds, then closes the rest. */
    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } catch (java.util.concurrent.TimeoutException e) {
            // graceful period over: the remaining connections were closed
        }
    }
}
