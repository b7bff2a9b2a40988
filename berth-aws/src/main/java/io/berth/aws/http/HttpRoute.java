package io.berth.aws.http;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A non-AWS-protocol path served on the same port (the OCI registry under {@code /v2/}, Berth's own
 * {@code /_berth/...} paths). Called on a virtual thread; may block. Must complete the callback.
 */
public interface HttpRoute {
    /** Paths starting with this prefix go to this route. */
    String pathPrefix();

    void handle(Request request, Response response, Callback callback) throws Exception;
}
