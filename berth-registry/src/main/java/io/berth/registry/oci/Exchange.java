package io.berth.registry.oci;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.registry.RegistryJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/** One request of the distribution API and the ways to answer it. Not thread-safe (one per request). */
final class Exchange {
    private static final int STREAM_BUFFER = 256 * 1024;

    final Request request;
    final Response response;
    final Callback callback;
    private Fields query;
    private boolean answered;

    Exchange(Request request, Response response, Callback callback) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        response.getHeaders().put("Docker-Distribution-API-Version", "registry/2.0");
    }

    String method() {
        return request.getMethod();
    }

    boolean head() {
        return "HEAD".equals(request.getMethod());
    }

    String header(String name) {
        return request.getHeaders().get(name);
    }

    String query(String name) {
        if (query == null) {
            query = Request.extractQueryParameters(request);
        }
        return query.getValue(name);
    }

    Exchange header(String name, Object value) {
        response.getHeaders().put(name, String.valueOf(value));
        return this;
    }

    boolean answered() {
        return answered;
    }

    /** A response without a body. */
    void empty(int status) {
        answered = true;
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        response.write(true, null, callback);
    }

    /** A response with {@code body} (only its length for HEAD). */
    void body(int status, String contentType, byte[] body) {
        buffer(status, contentType, ByteBuffer.wrap(body));
    }

    void json(int status, ObjectNode body) {
        body(status, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A response whose body is {@code body}'s remaining bytes, written as they are (no copy), or only its length for HEAD. */
    void buffer(int status, String contentType, ByteBuffer body) {
        answered = true;
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.remaining());
        response.write(true, head() ? null : body, callback);
    }

    /** Streams {@code length} bytes of {@code in} (closes it), or only the headers for HEAD. */
    void stream(int status, String contentType, long length, InputStream in) throws IOException {
        answered = true;
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        if (head()) {
            in.close();
            response.write(true, null, callback);
            return;
        }
        try (in; OutputStream out = Content.Sink.asOutputStream(response)) {
            byte[] buffer = new byte[STREAM_BUFFER];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
            return;
        }
        callback.succeeded();
    }

    /** An error in the spec's shape: {@code {"errors":[{code, message, detail}]}}. */
    void error(OciErrors.OciError error, String message, Object detail) {
        ObjectNode body = RegistryJson.object();
        ArrayNode errors = body.putArray("errors");
        ObjectNode e = errors.addObject().put("code", error.code()).put("message", message == null ? "" : message);
        if (detail != null) {
            e.set("detail", RegistryJson.MAPPER.valueToTree(detail));
        }
        json(error.status(), body);
    }
}
