package io.berth.server;

import io.berth.aws.http.HttpRoute;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Berth's own paths under {@code /_berth/}: {@code GET /_berth/health} always, and
 * {@code POST /_berth/reset} (wipe all state) only when the server was started with
 * {@code --allow-reset}; otherwise that path does not exist.
 */
final class BerthRoutes implements HttpRoute {
    private final boolean allowReset;
    private final Runnable reset;

    BerthRoutes(boolean allowReset, Runnable reset) {
        this.allowReset = allowReset;
        this.reset = reset;
    }

    @Override
    public String pathPrefix() {
        return "/_berth/";
    }

    @Override
    public void handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        if (path.equals("/_berth/health") && request.getMethod().equals("GET")) {
            reply(response, callback, 200, "{\"status\":\"ok\"}");
        } else if (allowReset && path.equals("/_berth/reset") && request.getMethod().equals("POST")) {
            reset.run();
            reply(response, callback, 200, "{\"reset\":true}");
        } else {
            reply(response, callback, 404, "{\"message\":\"Not Found\"}");
        }
    }

    private static void reply(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
