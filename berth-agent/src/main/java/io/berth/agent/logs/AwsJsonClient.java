package io.berth.agent.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.sigv4.SigV4Signer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;

/**
 * A minimal client of one AWS JSON API of Berth's server ({@code POST /} with {@code X-Amz-Target}),
 * SigV4-signed with the agent's access key, as the agent's own channel signs. Thread-safe.
 */
public final class AwsJsonClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String hostHeader;
    private final String targetPrefix;
    private final String contentType;
    private final SigV4Signer signer;
    private final InstantSource clock;
    private final HttpClient http;

    /**
     * @param service the signing name ({@code logs}, {@code ecs})
     * @param targetPrefix e.g. {@code Logs_20140328}
     */
    public AwsJsonClient(URI endpoint, String region, String accessKeyId, String secretAccessKey, String service,
                         String targetPrefix, InstantSource clock) {
        this.endpoint = URI.create(endpoint.getScheme() + "://" + endpoint.getRawAuthority() + "/");
        int port = this.endpoint.getPort();
        boolean defaultPort = port == -1 || port == ("https".equalsIgnoreCase(endpoint.getScheme()) ? 443 : 80);
        this.hostHeader = defaultPort ? this.endpoint.getHost() : this.endpoint.getHost() + ":" + port;
        this.targetPrefix = targetPrefix;
        this.contentType = "application/x-amz-json-1.1";
        this.signer = new SigV4Signer(accessKeyId, secretAccessKey, region, service);
        this.clock = clock;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** Calls {@code operation}; returns its output, or throws {@link AwsCallException}. */
    public JsonNode call(String operation, ObjectNode input, Duration timeout) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(input);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String target = targetPrefix + "." + operation;
        Map<String, String> signed = signer.sign("POST", "/", null,
                Map.of("host", hostHeader, "content-type", contentType, "x-amz-target", target), body,
                clock.instant());
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", contentType)
                .header("X-Amz-Target", target)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signed.forEach(request::header);
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AwsCallException(0, null, operation + ": cannot reach " + endpoint + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AwsCallException(0, null, operation + ": interrupted", e);
        }
        JsonNode out;
        try {
            out = response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            out = JSON.createObjectNode();
        }
        if (response.statusCode() / 100 == 2) {
            return out;
        }
        String type = response.headers().firstValue("x-amzn-ErrorType").orElse(out.path("__type").asText(""));
        type = type.replaceFirst("^.*#", "").replaceFirst(":.*$", "");
        String message = out.has("message") ? out.path("message").asText() : out.path("Message").asText("");
        throw new AwsCallException(response.statusCode(), type, operation + ": " + response.statusCode() + " " + type
                + (message.isEmpty() ? "" : ": " + message), null);
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
