package io.berth.aws.cbor;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.berth.aws.AwsError;
import io.berth.aws.RequestContext;
import io.berth.aws.http.EdgeHandler;
import io.berth.aws.http.Exchange;
import io.berth.aws.http.HttpRoute;
import io.berth.aws.json.JsonProtocol;
import io.berth.aws.json.JsonService;
import io.berth.aws.model.Operation;
import io.berth.aws.sigv4.AuthException;
import io.berth.aws.sigv4.SigV4Verifier;
import io.berth.core.arn.Account;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Smithy RPC v2 CBOR on the server port: {@code POST /service/{ServiceShape}/operation/{Operation}}
 * with a CBOR body, the protocol newer AWS SDKs use for CloudWatch. The body is verified (SigV4 over
 * the bytes as sent, then gunzipped when {@code Content-Encoding: gzip}), decoded to the JSON
 * protocols' tree (tag-1 timestamps become epoch seconds, byte strings base64), and handed to the
 * service's {@link JsonService} operation, so validation, handlers and errors are those of JSON 1.0.
 * The output tree is written back as CBOR by the output shape ({@link CborShapes}); errors are
 * {@code {"__type", "message"}} with {@code x-amzn-query-error: Code;Sender|Receiver} for services
 * that are awsQuery-compatible. Thread-safe.
 */
public final class RpcV2CborRoute implements HttpRoute {
    public static final String CONTENT_TYPE = "application/cbor";
    private static final CBORMapper CBOR;

    static {
        CBORFactory factory = CBORFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(8 << 20).maxNumberLength(64).build()).build();
        CBOR = new CBORMapper(factory);
    }

    private final Map<String, JsonService> services = new LinkedHashMap<>();
    private final Function<String, String> queryErrorCodes;
    private final SigV4Verifier verifier;
    private final Account account;
    private final InstantSource clock;

    /**
     * @param services the services served, by their service shape name (their JSON target prefix)
     * @param queryErrorCodes the awsQuery error code of an error shape, or null when it has none
     */
    public RpcV2CborRoute(List<JsonService> services, Function<String, String> queryErrorCodes,
                          SigV4Verifier verifier, Account account, InstantSource clock) {
        services.forEach(s -> this.services.put(s.targetPrefix(), s));
        this.queryErrorCodes = queryErrorCodes;
        this.verifier = verifier;
        this.account = account;
        this.clock = clock;
    }

    @Override
    public String pathPrefix() {
        return "/service/";
    }

    @Override
    public void handle(Request request, Response response, Callback callback) {
        String requestId = Exchange.requestId(request);
        String[] parts = request.getHttpURI().getPath().split("/");
        // "", "service", ServiceShape, "operation", Operation
        JsonService service = parts.length == 5 && parts[3].equals("operation") ? services.get(parts[2]) : null;
        if (service == null || !"POST".equals(request.getMethod())) {
            fail(response, callback, requestId, new AwsError("UnknownOperationException", 404),
                    "No such service or operation.");
            return;
        }
        String operation = parts[4];
        Exchange.of(request).ifPresent(e -> e.identify(service.signingName(),
                service.model().operation(operation).isPresent() ? operation : Exchange.UNKNOWN));
        byte[] raw;
        try {
            raw = EdgeHandler.readBody(request, service.maxBodyBytes());
        } catch (IOException e) {
            fail(response, callback, requestId, new AwsError("RequestEntityTooLargeException", 413),
                    "Request body is larger than " + service.maxBodyBytes() + " bytes, or unreadable.");
            return;
        }
        RequestContext context;
        try {
            SigV4Verifier.Verified verified = verifier.verify(EdgeHandler.signed(request, raw), clock.instant());
            if (!service.signingName().equals(verified.service())) {
                throw new AuthException("InvalidSignatureException", 400,
                        "Credential should be scoped to correct service: '" + service.signingName() + "'. ");
            }
            context = new RequestContext(requestId, account, verified.accessKeyId(), clock.instant());
        } catch (AuthException e) {
            fail(response, callback, requestId, new AwsError(e.type(), e.status()), e.getMessage());
            return;
        }
        byte[] json;
        try {
            json = toJson(gunzip(raw, request.getHeaders().get(HttpHeader.CONTENT_ENCODING),
                    service.maxBodyBytes()));
        } catch (IOException | RuntimeException e) {
            fail(response, callback, requestId, new AwsError("SerializationException", 400),
                    "The request body is not valid CBOR.");
            return;
        }
        JsonProtocol.Reply reply = JsonProtocol.invoke(service, operation, json, context);
        try {
            JsonNode tree = JsonProtocol.MAPPER.readTree(reply.body());
            if (reply.errorType() != null) {
                fail(response, callback, requestId, new AwsError(reply.errorType(), reply.status()),
                        tree.path("message").asText(null));
                return;
            }
            String output = service.model().operation(operation).map(Operation::output).orElse(null);
            write(response, callback, requestId, reply.status(), encode(tree, output, service), null);
        } catch (IOException e) {
            fail(response, callback, requestId, new AwsError("InternalFailure", 500), "An internal error occurred.");
        }
    }

    private static byte[] gunzip(byte[] body, String encoding, int limit) throws IOException {
        if (encoding == null || !encoding.trim().equalsIgnoreCase("gzip")) {
            return body;
        }
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
            byte[] out = in.readNBytes(limit + 1);
            if (out.length > limit) {
                throw new IOException("body too large");
            }
            return out;
        }
    }

    /** CBOR request body → the JSON protocols' bytes: byte strings as base64 text, an empty body as {}. */
    static byte[] toJson(byte[] cbor) throws IOException {
        if (cbor.length == 0) {
            return "{}".getBytes();
        }
        JsonNode tree = CBOR.readTree(cbor);
        return JsonProtocol.MAPPER.writeValueAsBytes(textBlobs(tree));
    }

    private static JsonNode textBlobs(JsonNode node) {
        if (node == null) {
            return JsonProtocol.MAPPER.createObjectNode();
        }
        if (node.isBinary()) {
            try {
                return TextNode.valueOf(Base64.getEncoder().encodeToString(node.binaryValue()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                e.setValue(textBlobs(e.getValue()));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, textBlobs(node.get(i)));
            }
        }
        return node;
    }

    static byte[] encode(JsonNode tree, String shape, JsonService service) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator gen = (CBORGenerator) CBOR.getFactory().createGenerator(out)) {
            gen.setCodec(CBOR);
            CborShapes.write(gen, tree, shape, service.model());
        }
        return out.toByteArray();
    }

    private void fail(Response response, Callback callback, String requestId, AwsError error, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("__type", error.type());
        if (message != null) {
            body.put("message", message);
        }
        byte[] bytes;
        try {
            bytes = CBOR.writeValueAsBytes(body);
        } catch (IOException e) {
            bytes = new byte[] {(byte) 0xa0};
        }
        String queryCode = Optional.ofNullable(queryErrorCodes).map(f -> f.apply(error.type())).orElse(null);
        write(response, callback, requestId, error.status(), bytes,
                queryCode == null ? null : queryCode + (error.serverFault() ? ";Receiver" : ";Sender"));
        Exchange.of(response.getRequest()).ifPresent(e -> e.outcome(error.status(), error.type()));
    }

    private static void write(Response response, Callback callback, String requestId, int status, byte[] body,
                              String queryError) {
        Exchange.of(response.getRequest()).ifPresent(e -> e.outcome(status, null));
        response.setStatus(status);
        response.getHeaders().put("x-amzn-RequestId", requestId);
        response.getHeaders().put("smithy-protocol", "rpc-v2-cbor");
        if (queryError != null) {
            response.getHeaders().put("x-amzn-query-error", queryError);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
