package io.berth.agent.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.berth.aws.sigv4.SigV4Verifier;
import io.berth.aws.sigv4.SignedRequest;
import io.berth.core.agent.AgentReport;
import io.berth.core.agent.ContainerReport;
import io.berth.core.agent.DesiredState;
import io.berth.core.agent.DesiredTask;
import io.berth.core.agent.Registered;
import io.berth.core.agent.Registration;
import io.berth.core.agent.ReportAck;
import io.berth.core.agent.TaskReport;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP adapter against a small JDK HTTP server that plays the Berth server. */
class HttpServerChannelTest {
    private static final Duration T = Duration.ofSeconds(5);
    private static final Registration REGISTRATION = new Registration("default", null, null, "127.0.0.1", 4096, 7936,
            List.of(22, 4566), Map.of("ecs.os-type", "linux"), "0.1.0", "27.5.1", false);

    private record Seen(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }

        JsonNode json() throws Exception {
            return ChannelJson.mapper().readTree(body);
        }
    }

    private record Answer(int status, String body) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile Function<Seen, Answer> answers = s -> new Answer(500, "");
    private HttpServer server;
    private HttpServerChannel channel;

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), new ArrayList<>(v)));
            Seen s = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), headers, exchange.getRequestBody().readAllBytes());
            seen.add(s);
            Answer a = answers.apply(s);
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        channel = new HttpServerChannel(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "eu-west-1",
                "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", InstantSource.system());
    }

    @AfterEach
    void stopServer() {
        channel.close();
        server.stop(0);
    }

    private void registered() {
        answers = s -> new Answer(200, "{\"containerInstanceArn\":\"arn:ci\",\"ec2InstanceId\":\"i-1\",\"token\":\"tok\"}");
        channel.register(REGISTRATION, T);
    }

    @Test
    void registersWithASigV4SignatureTheServerCanVerify() throws Exception {
        answers = s -> new Answer(200, "{\"containerInstanceArn\":\"arn:ci\",\"ec2InstanceId\":\"i-1\","
                + "\"token\":\"tok\",\"somethingNew\":true}");

        Registered r = channel.register(REGISTRATION, T);

        assertThat(r).isEqualTo(new Registered("arn:ci", "i-1", "tok"));
        Seen request = seen.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/_berth/agent/v1/register");
        SigV4Verifier.Verified verified = new SigV4Verifier(key -> key.equals("AKIDEXAMPLE")
                ? Optional.of("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY") : Optional.empty())
                .verify(new SignedRequest(request.method(), request.path(), request.query(), request.headers(),
                        request.body()), Instant.now());
        assertThat(verified).isEqualTo(new SigV4Verifier.Verified("AKIDEXAMPLE", "eu-west-1", "ecs"));
        assertThat(request.json().path("cluster").asText()).isEqualTo("default");
        assertThat(request.json().path("reservedPorts").toString()).isEqualTo("[22,4566]");
    }

    @Test
    void longPollsTheDesiredStateWithTheToken() throws Exception {
        registered();
        DesiredTask task = new DesiredTask("arn:task", "arn:cluster", "web", "3", "RUNNING", "arn:td", "{}", "{}",
                Map.of("web/80/tcp", 8080), null, new DesiredTask.RegistryCredentials("127.0.0.1:4566", "AWS", "pw"));
        ObjectNode body = ChannelJson.mapper().valueToTree(new DesiredState(7, List.of(task)));
        body.put("addedLater", "ignored");
        answers = s -> new Answer(200, body.toString());

        Optional<DesiredState> state = channel.desired(6, Duration.ofSeconds(20), T);

        assertThat(state).contains(new DesiredState(7, List.of(task)));
        Seen request = seen.get(1);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/_berth/agent/v1/desired");
        assertThat(request.query()).isEqualTo("after=6&waitSeconds=20");
        assertThat(request.header("authorization")).isEqualTo("Bearer tok");
    }

    @Test
    void noNewsWithinTheWaitIsEmpty() {
        registered();
        answers = s -> new Answer(204, "");

        assertThat(channel.desired(7, Duration.ofSeconds(1), T)).isEmpty();
    }

    @Test
    void reportsWithIsoInstantsAndReadsTheAck() throws Exception {
        registered();
        answers = s -> new Answer(200, "{\"appliedSequence\":5,\"desiredVersion\":7}");
        Instant at = Instant.parse("2025-06-01T12:00:00Z");
        TaskReport task = new TaskReport("arn:task", "RUNNING", "UNKNOWN", at, at.plusSeconds(2), at.plusSeconds(3),
                null, null, null, List.of(new ContainerReport("web", "abc", "RUNNING", null, null,
                List.of(new ContainerReport.NetworkBinding("127.0.0.1", 80, 32768, "tcp")), "UNKNOWN", "sha256:d")));

        ReportAck ack = channel.report(new AgentReport(5, true, 7, at, List.of(task)), T);

        assertThat(ack).isEqualTo(new ReportAck(5, 7));
        Seen request = seen.get(1);
        assertThat(request.path()).isEqualTo("/_berth/agent/v1/report");
        assertThat(request.header("authorization")).isEqualTo("Bearer tok");
        JsonNode json = request.json();
        assertThat(json.path("at").asText()).isEqualTo("2025-06-01T12:00:00Z");
        assertThat(json.path("tasks").get(0).path("pullStoppedAt").asText()).isEqualTo("2025-06-01T12:00:02Z");
        assertThat(ChannelJson.mapper().treeToValue(json, AgentReport.class))
                .isEqualTo(new AgentReport(5, true, 7, at, List.of(task)));
    }

    @Test
    void callsBeforeRegisteringAreUnauthorizedWithoutReachingTheServer() {
        assertThatThrownBy(() -> channel.desired(0, Duration.ofSeconds(1), T))
                .isInstanceOfSatisfying(ChannelException.class,
                        e -> assertThat(e.kind()).isEqualTo(ChannelException.Kind.UNAUTHORIZED));
        assertThat(seen).isEmpty();
    }

    @Test
    void errorsAreTypedForTheLoopsThatRetry() throws Exception {
        registered();
        Map<Integer, ChannelException.Kind> kinds = Map.of(401, ChannelException.Kind.UNAUTHORIZED,
                503, ChannelException.Kind.UNAVAILABLE, 500, ChannelException.Kind.UNAVAILABLE,
                429, ChannelException.Kind.UNAVAILABLE, 400, ChannelException.Kind.REJECTED);
        for (var e : kinds.entrySet()) {
            answers = s -> new Answer(e.getKey(), "{\"__type\":\"com.amazonaws.ecs#ClusterNotFoundException\","
                    + "\"message\":\"Cluster not found.\"}");
            assertThatThrownBy(() -> channel.report(new AgentReport(1, true, 0, Instant.now(), List.of()), T))
                    .isInstanceOfSatisfying(ChannelException.class, x -> {
                        assertThat(x.kind()).as("HTTP " + e.getKey()).isEqualTo(e.getValue());
                        assertThat(x.status()).isEqualTo(e.getKey());
                        assertThat(x.getMessage()).contains("ClusterNotFoundException: Cluster not found.");
                    });
        }
    }

    @Test
    void aServerThatIsNotThereOrTooSlowIsUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        HttpServerChannel nowhere = new HttpServerChannel(URI.create("http://127.0.0.1:" + closedPort), "us-east-1",
                "AKID", "secret", InstantSource.system());
        assertThatThrownBy(() -> nowhere.register(REGISTRATION, T)).isInstanceOfSatisfying(ChannelException.class,
                e -> assertThat(e.kind()).isEqualTo(ChannelException.Kind.UNAVAILABLE));
        nowhere.close();

        registered();
        answers = s -> {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Answer(204, "");
        };
        assertThatThrownBy(() -> channel.desired(0, Duration.ZERO, Duration.ofMillis(200)))
                .isInstanceOfSatisfying(ChannelException.class,
                        e -> assertThat(e.kind()).isEqualTo(ChannelException.Kind.UNAVAILABLE));
    }

    @Test
    void theHostHeaderIsSignedAsTheClientSendsIt() {
        assertThat(HttpServerChannel.hostHeader(URI.create("http://127.0.0.1:4566"))).isEqualTo("127.0.0.1:4566");
        assertThat(HttpServerChannel.hostHeader(URI.create("http://berth.example"))).isEqualTo("berth.example");
        assertThat(HttpServerChannel.hostHeader(URI.create("https://berth.example:443"))).isEqualTo("berth.example");
        assertThat(HttpServerChannel.hostHeader(URI.create("http://berth.example:80"))).isEqualTo("berth.example");
    }
}
