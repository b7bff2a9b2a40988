package io.berth.bench.api;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * How a benchmark client sends {@code POST /} requests to one endpoint over keep-alive HTTP/1.1.
 * A factory is made per run; each client asks it for its own {@link Connection} (which may share
 * the underlying HTTP client with the others).
 */
public interface Transport extends AutoCloseable {

    /** A status and body as received. */
    record Reply(int status, byte[] body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** One client's way to the endpoint. Used by one thread at a time. */
    interface Connection extends AutoCloseable {
        /**
         * Sends {@code POST /} with the given headers (besides Host, which the transport sets from
         * the endpoint, and Content-Length) and body; returns the reply once its body is read whole.
         */
        Reply post(Map<String, String> headers, byte[] body) throws IOException, InterruptedException;

        @Override
        default void close() {
        }
    }

    /** A connection for client number {@code client}. */
    Connection connect(int client) throws IOException;

    /** A short description for reports. */
    String describe();

    @Override
    void close();

    /**
     * The transport called {@code name}: {@code jdk} (java.net.http.HttpClient, HTTP/1.1),
     * {@code jetty} (Jetty's HttpClient, HTTP/1.1) or {@code socket} (a blocking socket per client).
     */
    static Transport named(String name, URI endpoint, int clients) {
        return switch (name) {
            case "jdk" -> new JdkTransport(endpoint, clients);
            case "jetty" -> new JettyTransport(endpoint, clients);
            case "socket" -> new SocketTransport(endpoint);
            default -> throw new IllegalArgumentException("unknown transport " + name + " (jdk, jetty, socket)");
        };
    }
}
