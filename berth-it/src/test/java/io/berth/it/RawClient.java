package io.berth.it;

import io.berth.aws.sigv4.SigV4Signer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Raw HTTP to Berth: hand-made AWS JSON requests, signed or not, to test the edge itself. */
final class RawClient {
    static final String ECS = "AmazonEC2ContainerServiceV20141113.";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final SigV4Signer signer;

    RawClient(String endpoint, String accessKeyId, String secret) {
        this.endpoint = URI.create(endpoint + "/");
        this.signer = new SigV4Signer(accessKeyId, secret, "us-east-1", "ecs");
    }

    HttpResponse<String> ecs(String operation, String body) throws Exception {
        return send(ECS + operation, body.getBytes(StandardCharsets.UTF_8), Instant.now(), signer);
    }

    HttpResponse<String> send(String target, byte[] body, Instant signedAt, SigV4Signer with) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (target != null) {
            b.header("X-Amz-Target", target);
        }
        if (with != null) {
            Map<String, String> toSign = target == null
                    ? Map.of("host", endpoint.getAuthority(), "content-type", "application/x-amz-json-1.1")
                    : Map.of("host", endpoint.getAuthority(), "x-amz-target", target,
                    "content-type", "application/x-amz-json-1.1");
            with.sign("POST", "/", null, toSign, body, signedAt).forEach(b::header);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> unsigned(String target, String body) throws Exception {
        return send(target, body.getBytes(StandardCharsets.UTF_8), Instant.now(), null);
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(endpoint.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(endpoint.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
