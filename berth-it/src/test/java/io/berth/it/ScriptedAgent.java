package io.berth.it;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.berth.aws.sigv4.SigV4Signer;
import io.berth.core.agent.AgentReport;
import io.berth.core.agent.ContainerReport;
import io.berth.core.agent.DesiredState;
import io.berth.core.agent.Registered;
import io.berth.core.agent.Registration;
import io.berth.core.agent.ReportAck;
import io.berth.core.agent.TaskReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A hand-driven agent speaking the agent channel over real HTTP: the test decides what it reports.
 * For testing the server's side of tasks and instances without Docker.
 */
final class ScriptedAgent {
    static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI endpoint;
    private final SigV4Signer signer;
    private Registered registered;
    private long sequence;

    ScriptedAgent(String endpoint, String keyId, String secret) {
        this.endpoint = URI.create(endpoint);
        this.signer = new SigV4Signer(keyId, secret, "us-east-1", "ecs");
    }

    Registered register(String cluster, int cpu, int memory, Map<String, String> attributes) throws Exception {
        byte[] body = JSON.writeValueAsBytes(new Registration(cluster, null, null, "127.0.0.1", cpu, memory,
                List.of(22), attributes, "berth-test", "20.10", false));
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve("/_berth/agent/v1/register"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signer.sign("POST", "/_berth/agent/v1/register", null,
                Map.of("host", endpoint.getAuthority(), "content-type", "application/json"), body, Instant.now())
                .forEach(b::header);
        HttpResponse<byte[]> response = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(response.statusCode() + " " + new String(response.body()));
        }
        registered = JSON.readValue(response.body(), Registered.class);
        return registered;
    }

    Registered registered() {
        return registered;
    }

    Optional<DesiredState> desired(long after, int waitSeconds) throws Exception {
        return desired("after=" + after + "&waitSeconds=" + waitSeconds);
    }

    /** The desired state asking for changes only, since the state {@code since} names (null: none). */
    Optional<DesiredState> changes(long after, String since, int waitSeconds) throws Exception {
        return desired("after=" + after + "&waitSeconds=" + waitSeconds + "&changes=true"
                + (since == null ? "" : "&since=" + since));
    }

    private Optional<DesiredState> desired(String query) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(endpoint.resolve(
                        "/_berth/agent/v1/desired?" + query))
                .header("Authorization", "Bearer " + registered.token()).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 204) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException(response.statusCode() + " " + new String(response.body()));
        }
        return Optional.of(JSON.readValue(response.body(), io.berth.core.agent.DesiredStateMessage.class).state());
    }

    ReportAck report(TaskReport... tasks) throws Exception {
        return send(new AgentReport(++sequence, sequence == 1, 0, Instant.now(), List.of(tasks)));
    }

    ReportAck send(AgentReport report) throws Exception {
        byte[] body = JSON.writeValueAsBytes(report);
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(endpoint.resolve("/_berth/agent/v1/report"))
                .header("Authorization", "Bearer " + registered.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(response.statusCode() + " " + new String(response.body()));
        }
        return JSON.readValue(response.body(), ReportAck.class);
    }

    static TaskReport running(String taskArn, String container, int hostPort) {
        return new TaskReport(taskArn, "RUNNING", "UNKNOWN", Instant.now(), Instant.now(), Instant.now(), null, null,
                null, List.of(new ContainerReport(container, "c0ffee", "RUNNING", null, null,
                List.of(new ContainerReport.NetworkBinding("127.0.0.1", 8080, hostPort, "tcp")), "UNKNOWN", null)));
    }

    static TaskReport stopped(String taskArn, String container, int exitCode, String stopCode, String reason) {
        return new TaskReport(taskArn, "STOPPED", "UNKNOWN", null, null, null, Instant.now(), stopCode, reason,
                List.of(new ContainerReport(container, "c0ffee", "STOPPED", exitCode, null, List.of(), "UNKNOWN", null)));
    }
}
