package io.berth.aws.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.AwsError;
import io.berth.aws.RequestContext;
import io.berth.aws.model.Operation;
import io.berth.core.error.BerthException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS query wire protocol, independent of the HTTP server: decodes the parameters of an
 * {@code Action} into its input shape, validates them, calls the operation and writes its output or
 * its error as XML. Every throwable is answered; only a server fault gives a 5xx.
 */
public final class QueryProtocol {
    private static final Logger LOG = LoggerFactory.getLogger(QueryProtocol.class);
    public static final String CONTENT_TYPE = "text/xml";

    /** A response ready for the wire; {@code errorCode} is null on success. */
    public record Reply(int status, String errorCode, byte[] body) {
    }

    private QueryProtocol() {
    }

    /** Calls {@code params}' {@code Action} on {@code service}. */
    public static Reply invoke(QueryService service, Map<String, String> params, RequestContext context) {
        String action = params.get("Action");
        if (action == null || action.isEmpty()) {
            return error(service.encoder(), new AwsError("MissingAction", 400), "Missing Action", context.requestId());
        }
        try {
            Optional<Operation> operation = service.model().model().operation(action);
            QueryOperation handler = service.operation(action);
            if (operation.isEmpty() || handler == null) {
                return error(service.encoder(), new AwsError("InvalidAction", 400), "Could not find operation "
                        + action + " for version " + service.apiVersion(), context.requestId());
            }
            ObjectNode input = service.decoder().decode(operation.get().input(), params);
            ObjectNode validated = service.validator().validate(operation.get().input(), input);
            ObjectNode output = handler.handle(context, validated);
            String xml = service.encoder().response(action, operation.get().output(), output, context.requestId());
            return new Reply(200, null, xml.getBytes(StandardCharsets.UTF_8));
        } catch (BerthException e) {
            AwsError error = service.error(e);
            if (error.serverFault()) {
                LOG.error("{} {} failed", context.requestId(), action, e);
            }
            return error(service.encoder(), error, e.getMessage(), context.requestId());
        } catch (RuntimeException | StackOverflowError e) {
            LOG.error("{} {} failed", context.requestId(), action, e);
            return error(service.encoder(), new AwsError("InternalFailure", 500),
                    "An internal error occurred.", context.requestId());
        }
    }

    public static Reply error(XmlEncoder encoder, AwsError error, String message, String requestId) {
        return new Reply(error.status(), error.type(), encoder.error(error.type(), !error.serverFault(), message,
                requestId).getBytes(StandardCharsets.UTF_8));
    }
}
