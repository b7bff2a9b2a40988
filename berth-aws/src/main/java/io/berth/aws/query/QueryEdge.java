package io.berth.aws.query;

import io.berth.aws.AwsError;
import io.berth.aws.RequestContext;
import io.berth.aws.http.EdgeHandler;
import io.berth.aws.http.HttpRoute;
import io.berth.aws.sigv4.AuthException;
import io.berth.aws.sigv4.SigV4Verifier;
import io.berth.core.arn.Account;
import io.berth.core.error.BerthException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The HTTP side of the query protocol on the server port: takes a form-encoded {@code POST} (or a
 * request whose query string carries {@code Action=}), picks the service by the {@code Version}
 * parameter (else by the service of the signature's scope), verifies SigV4 over the form body, and
 * answers with {@link QueryProtocol}. Auth failures get the query protocol's codes
 * ({@code MissingAuthenticationToken}, {@code InvalidClientTokenId}, {@code SignatureDoesNotMatch},
 * {@code IncompleteSignature}).
 *
 * <p>{@link EdgeHandler} calls {@link #handle} for requests that {@link #accepts}; as an
 * {@link HttpRoute} of prefix {@code /} it can also stand alone in front of query services only.
 * Thread-safe; called on virtual threads.
 */
public final class QueryEdge implements HttpRoute {
    private static final XmlEncoder BARE = new XmlEncoder(null);
    private final Map<String, QueryService> byVersion = new LinkedHashMap<>();
    private final Map<String, QueryService> bySigningName = new LinkedHashMap<>();
    private final SigV4Verifier verifier;
    private final Account account;
    private final InstantSource clock;
    private final int maxBodyBytes;

    public QueryEdge(List<QueryService> services, SigV4Verifier verifier, Account account, InstantSource clock) {
        for (QueryService s : services) {
            byVersion.put(s.apiVersion(), s);
            bySigningName.putIfAbsent(s.signingName(), s);
        }
        this.verifier = verifier;
        this.account = account;
        this.clock = clock;
        this.maxBodyBytes = services.stream().mapToInt(QueryService::maxBodyBytes).max().orElse(1 << 20);
    }

    /** Whether a request speaks the query protocol: a form POST, or {@code Action=} in the query string. */
    public static boolean accepts(Request request) {
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if ("POST".equals(request.getMethod()) && contentType != null
                && contentType.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33)) {
            return true;
        }
        String query = request.getHttpURI().getQuery();
        return query != null && (query.startsWith("Action=") || query.contains("&Action="));
    }

    @Override
    public String pathPrefix() {
        return "/";
    }

    @Override
    public void handle(Request request, Response response, Callback callback) {
        String requestId = io.berth.aws.http.Exchange.requestId(request);
        if (!accepts(request)) {
            write(response, callback, requestId, QueryProtocol.error(BARE, new AwsError("UnknownOperation", 404),
                    "The request is not an AWS query-protocol request.", requestId));
            return;
        }
        byte[] body;
        try {
            body = readBody(request, maxBodyBytes);
        } catch (TooLarge e) {
            EdgeHandler.discardBody(request);
            write(response, callback, requestId, QueryProtocol.error(BARE, new AwsError("RequestEntityTooLarge", 413),
                    "Request body is larger than " + maxBodyBytes + " bytes.", requestId));
            return;
        } catch (IOException e) {
            callback.failed(e);
            return;
        }
        Map<String, String> params;
        try {
            params = FormDecoder.parseForm(request.getHttpURI().getQuery());
            params.putAll(FormDecoder.parseForm(new String(body, StandardCharsets.UTF_8)));
        } catch (BerthException e) {
            write(response, callback, requestId, QueryProtocol.error(BARE, new AwsError("MalformedQueryString", 400),
                    e.getMessage(), requestId));
            return;
        }
        QueryService service = byVersion.get(params.get("Version"));
        if (service == null) {
            service = bySigningName.get(scopeService(request.getHeaders().get(HttpHeader.AUTHORIZATION)));
        }
        XmlEncoder encoder = service == null ? BARE : service.encoder();
        identify(request, service, params.get("Action"));
        RequestContext context;
        try {
            SigV4Verifier.Verified verified = verifier.verify(EdgeHandler.signed(request, body), clock.instant());
            if (service != null && !service.signingName().equals(verified.service())) {
                throw new AuthException("InvalidSignatureException", 403,
                        "Credential should be scoped to correct service: '" + service.signingName() + "'. ");
            }
            context = new RequestContext(requestId, account, verified.accessKeyId(), clock.instant());
        } catch (AuthException e) {
            write(response, callback, requestId, QueryProtocol.error(encoder, authError(e), e.getMessage(), requestId));
            return;
        }
        if (service == null) {
            String action = params.getOrDefault("Action", "");
            write(response, callback, requestId, QueryProtocol.error(BARE, new AwsError("InvalidAction", 400),
                    "Could not find operation " + action + " for version " + params.getOrDefault("Version", ""),
                    requestId));
            return;
        }
        write(response, callback, requestId, QueryProtocol.invoke(service, params, context));
    }

    private static void identify(Request request, QueryService service, String action) {
        io.berth.aws.http.Exchange.of(request).ifPresent(e -> e.identify(
                service == null ? "unknown" : service.signingName(),
                service != null && action != null && service.model().model().operation(action).isPresent() ? action
                        : io.berth.aws.http.Exchange.UNKNOWN));
    }

    /** The query protocol's names for the JSON protocols' auth errors. */
    static AwsError authError(AuthException e) {
        return switch (e.type()) {
            case "MissingAuthenticationTokenException" -> new AwsError("MissingAuthenticationToken", 403);
            case "UnrecognizedClientException" -> new AwsError("InvalidClientTokenId", 403);
            case "IncompleteSignatureException" -> new AwsError("IncompleteSignature", 400);
            default -> new AwsError("SignatureDoesNotMatch", 403);
        };
    }

    private static String scopeService(String authorization) {
        if (authorization == null) {
            return null;
        }
        int at = authorization.indexOf("Credential=");
        if (at < 0) {
            return null;
        }
        int end = authorization.indexOf(',', at);
        String[] scope = authorization.substring(at + 11, end < 0 ? authorization.length() : end).trim().split("/");
        return scope.length == 5 ? scope[3] : null;
    }

    private static byte[] readBody(Request request, int limit) throws IOException {
        if (request.getLength() > limit) {
            throw new TooLarge();
        }
        try (InputStream in = Request.asInputStream(request)) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new TooLarge();
            }
            return bytes;
        }
    }

    private static void write(Response response, Callback callback, String requestId, QueryProtocol.Reply reply) {
        io.berth.aws.http.Exchange.of(response.getRequest()).ifPresent(e -> e.outcome(reply.status(),
                reply.errorCode()));
        response.setStatus(reply.status());
        response.getHeaders().put("x-amzn-RequestId", requestId);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, QueryProtocol.CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
        response.write(true, ByteBuffer.wrap(reply.body()), callback);
    }

    private static final class TooLarge extends IOException {
        TooLarge() {
            super("body too large", null);
        }
    }
}
