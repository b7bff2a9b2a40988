package io.berth.ecs.agent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.berth.aws.http.EdgeHandler;
import io.berth.aws.http.HttpRoute;
import io.berth.aws.sigv4.AuthException;
import io.berth.aws.sigv4.SigV4Verifier;
import io.berth.core.agent.AgentReport;
import io.berth.core.agent.DesiredState;
import io.berth.core.agent.Registration;
import io.berth.core.error.BerthException;
import io.berth.core.instance.ContainerInstance;
import io.berth.ecs.instance.ContainerInstances;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /_berth/agent/v1/}: register (SigV4 with an account key), desired (long poll) and report
 * (bearer token of the instance). JSON bodies are the records of {@code io.berth.core.agent}.
 */
public final class AgentChannelRoute implements HttpRoute {
    private static final Logger LOG = LoggerFactory.getLogger(AgentChannelRoute.class);
    public static final ObjectMapper JSON = io.berth.aws.json.JsonFactories.mapperBuilder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final int MAX_BODY = 8 << 20;

    private final AgentSessions sessions;
    private final DesiredStateJson desiredJson = new DesiredStateJson(JSON);
    private final ContainerInstances instances;
    private final SigV4Verifier verifier;
    private final InstantSource clock;

    public AgentChannelRoute(AgentSessions sessions, ContainerInstances instances, SigV4Verifier verifier,
                             InstantSource clock) {
        this.sessions = sessions;
        this.instances = instances;
        this.verifier = verifier;
        this.clock = clock;
    }

    @Override
    public String pathPrefix() {
        return "/_berth/agent/v1/";
    }

    @Override
    public void handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        try {
            byte[] body = EdgeHandler.readBody(request, MAX_BODY);
            switch (request.getMethod() + " " + path) {
                case "POST /_berth/agent/v1/register" -> {
                    verifier.verify(EdgeHandler.signed(request, body), clock.instant());
                    Registration registration = JSON.readValue(body, Registration.class);
                    reply(response, callback, 200, JSON.writeValueAsBytes(sessions.register(registration)));
                }
                case "GET /_berth/agent/v1/desired" -> {
                    ContainerInstance caller = caller(request);
                    Fields query = Request.extractQueryParameters(request);
                    long after = parseLong(query.getValue("after"), 0);
                    long wait = Math.min(30, Math.max(0, parseLong(query.getValue("waitSeconds"), 20)));
                    boolean changes = "true".equals(query.getValue("changes"));
                    Optional<DesiredState> state = changes
                            ? sessions.desiredChanges(caller, after, query.getValue("since"), Duration.ofSeconds(wait))
                            : sessions.desired(caller, after, Duration.ofSeconds(wait));
                    if (state.isEmpty()) {
                        reply(response, callback, 204, new byte[0]);
                    } else {
                        reply(response, callback, 200, desiredJson.encode(state.get()));
                    }
                }
                case "POST /_berth/agent/v1/usage" -> {
                    ContainerInstance caller = caller(request);
                    sessions.usage(caller, JSON.readValue(body, io.berth.core.agent.UsageReport.class));
                    reply(response, callback, 200, "{}".getBytes(StandardCharsets.UTF_8));
                }
                case "POST /_berth/agent/v1/report" -> {
                    ContainerInstance caller = caller(request);
                    AgentReport report = JSON.readValue(body, AgentReport.class);
                    reply(response, callback, 200, JSON.writeValueAsBytes(sessions.report(caller, report)));
                }
                default -> error(response, callback, 404, "NotFound", "No such agent channel path: " + path);
            }
        } catch (Unauthorized e) {
            error(response, callback, 401, "Unauthorized", e.getMessage());
        } catch (AuthException e) {
            error(response, callback, 403, e.type(), e.getMessage());
        } catch (BerthException e) {
            error(response, callback, 400, e.code().name(), e.getMessage());
        } catch (IOException e) {
            error(response, callback, 400, "BadRequest", "Unreadable request: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(response, callback, 503, "Unavailable", "server stopping");
        } catch (RuntimeException e) {
            LOG.error("agent channel {} failed", path, e);
            error(response, callback, 500, "InternalError", "internal error");
        }
    }

    private ContainerInstance caller(Request request) {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth == null || !auth.startsWith("Bearer ")) {
            throw new Unauthorized("A bearer token is required.");
        }
        return instances.authenticate(auth.substring(7).trim())
                .orElseThrow(() -> new Unauthorized("The token is not valid for a registered container instance."));
    }

    private static long parseLong(String text, long fallback) {
        try {
            return text == null ? fallback : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static void reply(Response response, Callback callback, int status, byte[] body) {
        response.setStatus(status);
        if (body.length > 0) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        }
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private static void error(Response response, Callback callback, int status, String type, String message) {
        String json = JSON.createObjectNode().put("type", type).put("message", message).toString();
        reply(response, callback, status, json.getBytes(StandardCharsets.UTF_8));
    }

    private static final class Unauthorized extends RuntimeException {
        Unauthorized(String message) {
            super(message, null, false, false);
        }
    }
}
