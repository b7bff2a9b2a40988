package io.berth.aws.http;

import io.berth.aws.AwsError;
import io.berth.aws.RequestContext;
import io.berth.aws.json.JsonProtocol;
import io.berth.aws.json.JsonService;
import io.berth.aws.sigv4.AuthException;
import io.berth.aws.sigv4.SigV4Verifier;
import io.berth.aws.sigv4.SignedRequest;
import io.berth.core.arn.Account;
import io.berth.core.metrics.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one entry of every request on the server port. Routes {@code POST /} with
 * {@code X-Amz-Target} to the AWS JSON service of that target prefix, after verifying SigV4;
 * other paths go to the registered {@link HttpRoute}s by prefix. Thread-safe.
 *
 * <p>Every request gets an {@link Exchange} with its {@code x-amzn-RequestId}, which is in the SLF4J
 * MDC as {@code requestId} while the request is served. When the handler returns, the edge records
 * the timer {@code berth.requests} (tags service, operation, status, error) and logs a failed
 * request: 4xx at debug, 5xx at error.
 */
public final class EdgeHandler extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(EdgeHandler.class);
    /** The MDC key of the request id. */
    public static final String REQUEST_ID = "requestId";
    private final Map<String, JsonService> jsonServices = new LinkedHashMap<>();
    private final List<HttpRoute> routes;
    private final SigV4Verifier verifier;
    private final Account account;
    private final InstantSource clock;
    private final io.berth.aws.query.QueryEdge query;
    private final Metrics metrics;

    public EdgeHandler(List<JsonService> services, List<HttpRoute> routes, SigV4Verifier verifier,
                       Account account, InstantSource clock) {
        this(services, routes, null, verifier, account, clock);
    }

    /** With {@code query} (may be null) serving the query-protocol services (ELBv2, later IAM, STS). */
    public EdgeHandler(List<JsonService> services, List<HttpRoute> routes, io.berth.aws.query.QueryEdge query,
                       SigV4Verifier verifier, Account account, InstantSource clock) {
        this(services, routes, query, verifier, account, clock, Metrics.NONE);
    }

    /** As above, recording each request's latency and outcome in {@code metrics}. */
    public EdgeHandler(List<JsonService> services, List<HttpRoute> routes, io.berth.aws.query.QueryEdge query,
                       SigV4Verifier verifier, Account account, InstantSource clock, Metrics metrics) {
        super(InvocationType.BLOCKING);
        this.metrics = metrics;
        this.query = query;
        services.forEach(s -> jsonServices.put(s.targetPrefix(), s));
        this.routes = List.copyOf(routes);
        this.verifier = verifier;
        this.account = account;
        this.clock = clock;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Exchange exchange = new Exchange(Exchange.newRequestId(), System.nanoTime());
        request.setAttribute(Exchange.ATTRIBUTE, exchange);
        MDC.put(REQUEST_ID, exchange.requestId());
        try {
            dispatch(request, response, callback, exchange);
        } catch (Exception | Error e) {
            exchange.outcome(500, "InternalFailure"); // Jetty answers 500 for what escapes a handler
            throw e;
        } finally {
            finish(request, response, exchange);
            MDC.remove(REQUEST_ID);
        }
        return true;
    }

    /** Records the request's timer sample and logs it when it failed. Never throws. */
    private void finish(Request request, Response response, Exchange exchange) {
        try {
            int status = exchange.status() != 0 ? exchange.status() : response.getStatus();
            metrics.time("berth.requests", java.time.Duration.ofNanos(System.nanoTime() - exchange.startNanos()),
                    "service", exchange.service(), "operation", exchange.operation(), "status",
                    Integer.toString(status), "error", exchange.errorCode());
            if (status >= 500) {
                log.error("{} {} {}.{} failed: {} {}", request.getMethod(), request.getHttpURI().getPath(),
                        exchange.service(), exchange.operation(), status, exchange.errorCode());
            } else if (status >= 400 && log.isDebugEnabled()) {
                log.debug("{} {} {}.{} refused: {} {}", request.getMethod(), request.getHttpURI().getPath(),
                        exchange.service(), exchange.operation(), status, exchange.errorCode());
            }
        } catch (RuntimeException e) {
            log.warn("recording a request failed", e);
        }
    }

    private void dispatch(Request request, Response response, Callback callback, Exchange exchange)
            throws Exception {
        String path = request.getHttpURI().getPath();
        for (HttpRoute route : routes) {
            if (path != null && path.startsWith(route.pathPrefix())) {
                exchange.identify(route.pathPrefix(), methodTag(request.getMethod()));
                route.handle(request, response, callback);
                return;
            }
        }
        String requestId = exchange.requestId();
        String target = request.getHeaders().get("X-Amz-Target");
        if (target != null) {
            handleJson(request, response, callback, requestId, target);
            return;
        }
        if (query != null && io.berth.aws.query.QueryEdge.accepts(request)) {
            query.handle(request, response, callback);
            return;
        }
        if ("GET".equals(request.getMethod()) && "/".equals(path)) {
            write(response, callback, 200, requestId, null, "application/json",
                    "{\"service\":\"berth\",\"status\":\"running\"}".getBytes());
            return;
        }
        JsonProtocol.Reply reply = JsonProtocol.error(new AwsError("UnknownOperationException", 404), null);
        write(response, callback, reply.status(), requestId, reply.errorType(), "application/x-amz-json-1.1",
                reply.body());
    }

    private void handleJson(Request request, Response response, Callback callback, String requestId, String target) {
        String prefix = JsonProtocol.splitTarget(target).map(t -> t[0]).orElse("");
        JsonService service = jsonServices.get(prefix);
        String operationName = JsonProtocol.splitTarget(target).map(t -> t[1]).orElse("");
        Exchange.of(request).ifPresent(e -> e.identify(service == null ? "unknown" : service.signingName(),
                service != null && service.model().operation(operationName).isPresent() ? operationName
                        : Exchange.UNKNOWN));
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

    /** The method as a tag value: the standard ones, else "other" (clients choose methods freely). */
    static String methodTag(String method) {
        return switch (method) {
            case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" -> method;
            default -> "other";
        };
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
        Exchange.of(response.getRequest()).ifPresent(e -> e.outcome(status, errorType));
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
