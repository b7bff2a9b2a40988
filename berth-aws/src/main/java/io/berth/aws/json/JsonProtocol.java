package io.berth.aws.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.AwsError;
import io.berth.aws.RequestContext;
import io.berth.aws.model.Operation;
import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The awsJson1_0 / awsJson1_1 wire protocol, independent of the HTTP server: decodes the body,
 * validates it against the operation's input shape, calls the operation, and encodes its output or
 * its error exactly as AWS does ({@code {"__type": ..., "message": ...}} with the status of the
 * error shape). Every throwable is answered; only a server fault gives a 5xx.
 */
public final class JsonProtocol {
    private static final Logger LOG = LoggerFactory.getLogger(JsonProtocol.class);
    public static final ObjectMapper MAPPER = io.berth.aws.json.JsonFactories.mapperBuilder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(8 << 20).maxNumberLength(64).build());
    }

    /** A response ready for the wire. {@code errorType} is null on success. */
    public record Reply(int status, String errorType, byte[] body) {
    }

    private JsonProtocol() {
    }

    /** Splits {@code X-Amz-Target} into its service prefix and operation name. */
    public static Optional<String[]> splitTarget(String target) {
        if (target == null) {
            return Optional.empty();
        }
        int dot = target.lastIndexOf('.');
        if (dot <= 0 || dot == target.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new String[] {target.substring(0, dot), target.substring(dot + 1)});
    }

    public static Reply invoke(JsonService service, String operationName, byte[] body, RequestContext context) {
        try {
            Optional<Operation> operation = service.model().operation(operationName);
            JsonOperation handler = service.operation(operationName);
            if (operation.isEmpty() || handler == null) {
                return error(new AwsError("UnknownOperationException", 400), null);
            }
            JsonNode input = parse(body);
            ObjectNode validated = service.validator().validate(operation.get().input(), input);
            ObjectNode output = handler.handle(context, validated);
            return new Reply(200, null, MAPPER.writeValueAsBytes(output == null ? MAPPER.createObjectNode() : output));
        } catch (BerthException e) {
            AwsError error = service.error(e.code());
            if (error.serverFault()) {
                LOG.error("{} {} failed", context.requestId(), operationName, e);
            }
            return error(error, e.getMessage());
        } catch (RuntimeException | JsonProcessingException | StackOverflowError | LinkageError e) {
            LOG.error("{} {} failed", context.requestId(), operationName, e);
            return error(service.error(ErrorCode.INTERNAL), "An internal error occurred.");
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return MAPPER.createObjectNode();
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                return MAPPER.createObjectNode();
            }
            if (!node.isObject()) {
                throw new BerthException(ErrorCode.SERIALIZATION,
                        "Expected a JSON object as the request body.");
            }
            return node;
        } catch (IOException e) {
            throw new BerthException(ErrorCode.SERIALIZATION, "Malformed JSON in the request body: "
                    + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    public static Reply error(AwsError error, String message) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("__type", error.type());
        if (message != null) {
            body.put("message", message);
        }
        return new Reply(error.status(), error.type(), body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
