package io.berth.agent.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.http.EdgeHandler;
import io.berth.aws.sigv4.AuthException;
import io.berth.aws.sigv4.SigV4Verifier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The Logs API as the agent needs it, in memory, on a real port: SigV4 checked, groups, streams,
 * PutLogEvents with Berth's batch-id dedup. Fault modes: {@link #down} (503 for every call),
 * {@link #loseAnswers} (stores, then answers 500: the agent must resend and not double).
 */
final class FakeLogsServer implements AutoCloseable {
    static final String KEY = "AKIDAGENTLOGS0000001";
    static final String SECRET = "agent-secret";

    record Event(String group, String stream, long timestamp, String message) {
    }

    final Set<String> groups = new HashSet<>();
    final Set<String> streams = new HashSet<>();
    private final List<Event> events = new ArrayList<>();
    private final Set<String> tokens = new HashSet<>();
    private final List<String> calls = new ArrayList<>();
    volatile boolean down;
    volatile boolean loseAnswers;
    /** Answers as a Berth server without the Logs API does. */
    volatile boolean noLogsApi;
    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    private final SigV4Verifier verifier =
            new SigV4Verifier(k -> KEY.equals(k) ? Optional.of(SECRET) : Optional.empty());

    FakeLogsServer() throws Exception {
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract(Handler.Abstract.InvocationType.BLOCKING) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                byte[] body = EdgeHandler.readBody(request, 16 << 20);
                String target = request.getHeaders().get("X-Amz-Target");
                try {
                    var v = verifier.verify(EdgeHandler.signed(request, body), Instant.now());
                    if (!"logs".equals(v.service())) {
                        throw new AuthException("InvalidSignatureException", 400, "wrong service " + v.service());
                    }
                } catch (AuthException e) {
                    write(response, callback, 403, e.type(), e.getMessage());
                    return true;
                }
                if (noLogsApi) {
                    write(response, callback, 400, "UnknownOperationException", "no such service (fake)");
                    return true;
                }
                if (down) {
                    write(response, callback, 503, "ServiceUnavailableException", "down (fake)");
                    return true;
                }
                String op = target.substring(target.indexOf('.') + 1);
                JsonNode in = AwsJsonClient.JSON.readTree(body);
                synchronized (FakeLogsServer.this) {
                    calls.add(op);
                    String group = in.path("logGroupName").asText();
                    String stream = group + "|" + in.path("logStreamName").asText();
                    switch (op) {
                        case "CreateLogGroup" -> {
                            if (!groups.add(group)) {
                                write(response, callback, 400, "ResourceAlreadyExistsException", "exists");
                                return true;
                            }
                        }
                        case "CreateLogStream" -> {
                            if (!groups.contains(group)) {
                                write(response, callback, 400, "ResourceNotFoundException",
                                        "The specified log group does not exist.");
                                return true;
                            }
                            if (!streams.add(stream)) {
                                write(response, callback, 400, "ResourceAlreadyExistsException", "exists");
                                return true;
                            }
                        }
                        case "PutLogEvents" -> {
                            if (!streams.contains(stream)) {
                                write(response, callback, 400, "ResourceNotFoundException",
                                        "The specified log stream does not exist.");
                                return true;
                            }
                            String token = stream + "|" + in.path("sequenceToken").asText();
                            long last = Long.MIN_VALUE;
                            for (JsonNode e : in.path("logEvents")) {
                                if (e.path("timestamp").asLong() < last) {
                                    write(response, callback, 400, "InvalidParameterException", "not in order");
                                    return true;
                                }
                                last = e.path("timestamp").asLong();
                            }
                            if (tokens.add(token)) {
                                for (JsonNode e : in.path("logEvents")) {
                                    events.add(new Event(group, in.path("logStreamName").asText(),
                                            e.path("timestamp").asLong(), e.path("message").asText()));
                                }
                            }
                            if (loseAnswers) {
                                write(response, callback, 500, "ServiceUnavailableException", "answer lost (fake)");
                                return true;
                            }
                        }
                        default -> {
                            write(response, callback, 400, "UnknownOperationException", op);
                            return true;
                        }
                    }
                }
                ObjectNode out = AwsJsonClient.object();
                byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
                response.setStatus(200);
                response.write(true, ByteBuffer.wrap(bytes), callback);
                return true;
            }
        });
        server.start();
    }

    private static void write(Response response, Callback callback, int status, String type, String message) {
        response.setStatus(status);
        response.getHeaders().put("x-amzn-ErrorType", type);
        ObjectNode body = AwsJsonClient.object().put("__type", type).put("message", message);
        response.write(true, ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8)), callback);
    }

    String endpoint() {
        return "http://127.0.0.1:" + connector.getLocalPort();
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized List<String> messages(String stream) {
        return events.stream().filter(e -> e.stream().equals(stream)).map(Event::message).toList();
    }

    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
