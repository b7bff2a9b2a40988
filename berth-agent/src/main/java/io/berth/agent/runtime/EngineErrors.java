package io.berth.agent.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import io.berth.core.runtime.RuntimeFailure;
import io.berth.core.runtime.RuntimeFailure.Kind;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where docker-java's exceptions become {@link RuntimeFailure}s.
 *
 * <p>An engine answer of 4xx or 5xx is a failure of the operation ({@code failureKind}: dockerd 20.10
 * reports many spec and runtime errors as 500), except 404, which the caller decides about
 * ({@code notFoundKind}); no answer at all is {@link Kind#UNAVAILABLE}, or {@link Kind#TIMEOUT} when
 * a socket timed out. The message is the engine's own ({@code {"message": ...}} of its error body).
 */
final class EngineErrors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STATUS_PREFIX = Pattern.compile("^Status \\d+: ", Pattern.DOTALL);

    private EngineErrors() {
    }

    static RuntimeFailure translate(String operation, Throwable error, Kind failureKind, Kind notFoundKind) {
        if (error instanceof RuntimeFailure failure) {
            return failure;
        }
        DockerException engine = find(error, DockerException.class);
        if (engine != null) {
            Kind kind = engine.getHttpStatus() == 404 ? notFoundKind : failureKind;
            return new RuntimeFailure(kind, operation + ": " + engineMessage(engine), error);
        }
        if (find(error, SocketTimeoutException.class) != null) {
            return new RuntimeFailure(Kind.TIMEOUT, operation + ": the Docker Engine did not answer in time", error);
        }
        IOException io = find(error, IOException.class);
        if (io != null) {
            return new RuntimeFailure(Kind.UNAVAILABLE, operation + ": cannot reach the Docker Engine: " + io, error);
        }
        if (error instanceof DockerClientException) {
            return new RuntimeFailure(failureKind, operation + ": " + error.getMessage(), error);
        }
        return new RuntimeFailure(Kind.UNAVAILABLE, operation + ": " + error, error);
    }

    /** The HTTP status of the engine's answer in {@code error}'s causes, or 0 when there is none. */
    static int httpStatus(Throwable error) {
        DockerException engine = find(error, DockerException.class);
        return engine == null ? 0 : engine.getHttpStatus();
    }

    /**
     * The engine's message in a docker-java exception: docker-java puts the raw error body after
     * "Status NNN: ", and the body is {@code {"message":"..."}}.
     */
    static String engineMessage(DockerException e) {
        String text = e.getMessage() == null ? "" : e.getMessage();
        Matcher prefix = STATUS_PREFIX.matcher(text);
        String body = prefix.find() ? text.substring(prefix.end()).strip() : text.strip();
        return messageOf(body);
    }

    /** {@code message} of a JSON error body, or the body itself when it is not one. */
    static String messageOf(String body) {
        if (body.startsWith("{")) {
            try {
                JsonNode message = JSON.readTree(body).get("message");
                if (message != null && message.isTextual()) {
                    return message.asText();
                }
            } catch (IOException notJson) {
                // fall through: the body as it is
            }
        }
        return body;
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
