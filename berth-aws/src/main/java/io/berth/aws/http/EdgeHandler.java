package io.berth.aws.http;

import io.berth.aws.AwsError;
import io.berth.aws.RequestContext;
import io.berth.aws.json.JsonProtocol;
import io.berth.aws.json.JsonService;
import io.berth.aws.sigv4.AuthException;
import io.berth.aws.sigv4.SigV4Verifier;
import io.berth.aws.sigv4.SignedRequest;
import io.berth.core.arn.Account;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The one entry of every request on the server port. Routes {@code POST /} with
 * {@code X-Amz-Target} to the AWS JSON service of that target prefix, after verifying SigV4;
 * other paths go to the registered {@link HttpRoute}s by prefix. Thread-safe.
 */
public final class EdgeHandler extends Handler.Abstract {
    private final Map<String, JsonService> jsonServices = new LinkedHashMap<>();
    private final List<HttpRoute> routes;
    private final SigV4Verifier verifier;
    private final Account account;
    private final InstantSource clock;
    private final io.berth.aws.query.QueryEdge query;

    public EdgeHandler(List<JsonService> services, List<HttpRoute> routes, SigV4Verifier verifier,
                       Account account, InstantSource clock) {
        this(services, routes, null, verifier, account, clock);
    }

    /** With {@code query} (may be null) serving the query-protocol services (ELBv2, later IAM, STS). */
    public EdgeHandler(List<JsonService> services, List<HttpRoute> routes, io.berth.aws.query.QueryEdge query,
                       SigV4Verifier verifier, Account account, InstantSource clock) {
        super(InvocationType.BLOCKING);
        this.query = query;
        services.forEach(s -> jsonServices.put(s.targetPrefix(), s));
        this.routes = List.copyOf(routes);
        this.verifier = verifier;
        this.account = account;
        this.clock = clock;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        for (HttpRoute route : routes) {
            if (path != null && path.startsWith(route.pathPrefix())) {
                route.handle(request, response, callback);
                return true;
            }
        }
        String requestId = UUID.randomUUID().toString();
        String target = request.getHeaders().get("X-Amz-Target");
        if (target != null) {
            handleJson(request, response, callback, requestId, target);
            return true;
        }
        if (query != null && io.berth.aws.query.QueryEdge.accepts(request)) {
            query.handle(request, response, callback);
            return true;
        }
        if ("GET".equals(request.getMethod()) && "/".equals(path)) {
            write(response, callback, 200, requestId, null, "application/json",
                    "{\"service\":\"berth\",\"status\":\"running\"}".getBytes());
            return true;
        }
        JsonProtocol.Reply reply = JsonProtocol.error(new AwsError("UnknownOperationException", 404), null);
        write(response, callback, reply.status(), requestId, reply.errorType(), "application/x-amz-json-1.1",
                reply.body());
        return true;
    }

    private void handleJson(Request request, Response response, Callback callback, String requestId, String target) {
        String prefix = JsonProtocol.splitTarget(target).map(t -> t[0]).orElse("");
        JsonService service = jsonServices.get(prefix);
        String contentType = service != null ? service.contentType() : "application/x-amz-json-1.1";
        int limit = service != null ? service.maxBodyBytes() : 1 << 20;
        byte[] body;
        try {
            body = readBody(request, limit);
        } catch (BodyTooLargeException e) {
            discardBody(request);
            JsonProtocol.Reply reply = JsonProtocol.error(new AwsError("RequestEntityTooLargeException", 413),
                    "Request body is larger than " + limit + " bytes.");
            write(response, callback, reply.status(), requestId, reply.errorType(), contentType, reply.body());
            return;
        } catch (IOException e) {
            callback.failed(e);
            return;
        }
        RequestContext context;
        try {
            SigV4Verifier.Verified verified = verifier.verify(signed(request, body), clock.instant());
            if (service != null && !service.signingName().equals(verified.service())) {
                throw new AuthException("InvalidSignatureException", 400,
                        "Credential should be scoped to correct service: '" + service.signingName() + "'. ");
            }
            context = new RequestContext(requestId, account, verified.accessKeyId(), clock.instant());
        } catch (AuthException e) {
            JsonProtocol.Reply reply = JsonProtocol.error(new AwsError(e.type(), e.status()), e.getMessage());
            write(response, callback, reply.status(), requestId, reply.errorType(), contentType, reply.body());
            return;
        }
        JsonProtocol.Reply reply = service == null
                ? JsonProtocol.error(new AwsError("UnknownOperationException", 400), null)
                : JsonProtocol.invoke(service, JsonProtocol.splitTarget(target).get()[1], body, context);
        write(response, callback, reply.status(), requestId, reply.errorType(), contentType, reply.body());
    }

    /** What SigV4 covers of a Jetty request with its body. */
    public static SignedRequest signed(Request request, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getLowerCaseName(), k -> new ArrayList<>(1)).add(field.getValue());
        }
        return new SignedRequest(request.getMethod(), request.getHttpURI().getPath() == null ? "/"
                : rawPath(request), request.getHttpURI().getQuery(), headers, body);
    }

    private static String rawPath(Request request) {
        String raw = request.getHttpURI().getCanonicalPath();
        String encoded = request.getHttpURI().getPath();
        return encoded != null ? encoded : raw;
    }

    /**
     * Reads and drops the rest of a refused body (up to 64 MiB), so that the client, still sending,
     * reads the error instead of a closed connection.
     */
    public static void discardBody(Request request) {
        if (request.getLength() > 64L << 20) {
            return;
        }
        try {
            org.eclipse.jetty.io.Content.Source.consumeAll(request);
        } catch (IOException | RuntimeException ignored) {
            // the connection is closed after the error instead
        }
    }

    /** Reads a body of at most {@code limit} bytes; throws an IOException beyond. */
    public static byte[] readBody(Request request, int limit) throws IOException {
        long declared = request.getLength();
        if (declared > limit) {
            throw new BodyTooLargeException();
        }
        try (InputStream in = Request.asInputStream(request)) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new BodyTooLargeException();
            }
            return bytes;
        }
    }

    static void write(Response response, Callback callback, int status, String requestId, String errorType,
                      String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put("x-amzn-RequestId", requestId);
        if (errorType != null) {
            response.getHeaders().put("x-amzn-ErrorType", errorType);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    static final class BodyTooLargeException extends IOException {
        BodyTooLargeException() {
            super("body too large", null);
        }
    }

    static boolean isError(int status) {
        return status >= HttpStatus.BAD_REQUEST_400;
    }
}
