package io.berth.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** A raw HTTP client of the distribution API for tests, logged in as {@code AWS} with a registry password. */
public final class OciClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String endpoint;
    private final String authorization;

    public OciClient(String endpoint, String password) {
        this.endpoint = endpoint;
        this.authorization = password == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(("AWS:" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Logs in as the registry server's key: GetAuthorizationToken, then Basic AWS:password. */
    public static OciClient loggedIn(RegistryServer server) throws Exception {
        String token = RegistryJson.MAPPER.readTree(server.ecr("GetAuthorizationToken", "{}").body())
                .get("authorizationData").get(0).get("authorizationToken").asText();
        String decoded = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
        return new OciClient(server.endpoint(), decoded.substring(decoded.indexOf(':') + 1));
    }

    public OciClient anonymous() {
        return new OciClient(endpoint, null);
    }

    public record Reply(int status, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return RegistryJson.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text(), e);
            }
        }

        /** The first OCI error code of the body. */
        public String errorCode() {
            return json().path("errors").path(0).path("code").asText(null);
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + (body.length < 2000 ? text() : body.length + " bytes");
        }
    }

    /** {@code headers} alternate names and values. */
    public Reply send(String method, String pathOrUrl, byte[] body, String... headers) {
        URI uri = URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : endpoint + pathOrUrl);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Reply get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    public Reply head(String path, String... headers) {
        return send("HEAD", path, null, headers);
    }

    public Reply put(String path, byte[] body, String... headers) {
        return send("PUT", path, body, headers);
    }

    public Reply post(String path, byte[] body, String... headers) {
        return send("POST", path, body, headers);
    }

    public Reply patch(String path, byte[] body, String... headers) {
        return send("PATCH", path, body, headers);
    }

    public Reply delete(String path) {
        return send("DELETE", path, null);
    }

    // ---- push helpers ----

    /** Pushes a blob monolithically; returns its digest. */
    public String pushBlob(String repo, byte[] content) {
        String digest = io.berth.registry.blob.Digest.sha256(content).toString();
        Reply r = post("/v2/" + repo + "/blobs/uploads/?digest=" + digest, content,
                "Content-Type", "application/octet-stream");
        if (r.status() != 201) {
            throw new AssertionError("blob push failed: " + r);
        }
        return digest;
    }

    /** Pushes an image manifest (OCI) with the given config and layers; returns the manifest digest. */
    public String pushManifest(String repo, String reference, String manifest, String mediaType) {
        Reply r = put("/v2/" + repo + "/manifests/" + reference, manifest.getBytes(StandardCharsets.UTF_8),
                "Content-Type", mediaType);
        if (r.status() != 201) {
            throw new AssertionError("manifest push failed: " + r);
        }
        return r.header("Docker-Content-Digest");
    }
}
