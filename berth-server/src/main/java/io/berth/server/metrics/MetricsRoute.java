package io.berth.server.metrics;

import io.berth.aws.http.HttpRoute;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /metrics}: Berth's meters in the Prometheus text format, without authentication (as
 * Prometheus scrapes); any other method or path under it is 404/405.
 */
public final class MetricsRoute implements HttpRoute {
    /** The content type of the Prometheus text exposition format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final MicrometerMetrics metrics;

    public MetricsRoute(MicrometerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public String pathPrefix() {
        return "/metrics";
    }

    @Override
    public void handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        if (!path.equals("/metrics") && !path.equals("/metrics/")) {
            reply(response, callback, 404, "text/plain", "Not Found\n");
        } else if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            reply(response, callback, 405, "text/plain", "Method Not Allowed\n");
        } else {
            reply(response, callback, 200, CONTENT_TYPE, metrics.scrape());
        }
    }

    private static void reply(Response response, Callback callback, int status, String type, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
