package io.berth.registry.ecr;

import static io.berth.registry.TestManifests.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.registry.OciClient;
import io.berth.registry.RegistryJson;
import io.berth.registry.RegistryServer;
import io.berth.registry.TestManifests;
import io.berth.registry.blob.Digest;
import io.berth.registry.error.RegistryError;
import io.berth.registry.image.MediaTypes;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A registry server and the helpers of the ECR API suites (signed requests, raw JSON). */
abstract class EcrApiSupport {
    static final AtomicInteger REPOS = new AtomicInteger();
    static RegistryServer server;
    static OciClient oci;

    @BeforeAll
    static void start() throws Exception {
        server = RegistryServer.start();
        oci = OciClient.loggedIn(server);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static JsonNode ok(String operation, String json) throws Exception {
        HttpResponse<String> r = server.ecr(operation, json);
        assertThat(r.statusCode()).as(operation + " " + r.body()).isEqualTo(200);
        return RegistryJson.MAPPER.readTree(r.body());
    }

    /**
     * Asserts an ECR error: the exception shape of {@code error} (or, while core lacks a code of that
     * name, the shape its generic code travels as) and a message containing {@code message}.
     */
    static void assertError(HttpResponse<String> r, RegistryError error, String message) throws Exception {
        JsonNode body = RegistryJson.MAPPER.readTree(r.body());
        String expected = error.exact() ? EcrErrors.shape(error) : fallbackShape(error);
        assertThat(body.get("__type").asText()).as(r.body()).isEqualTo(expected);
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).contains(expected);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(body.get("message").asText()).contains(message);
    }

    static String fallbackShape(RegistryError error) {
        return switch (error.fallback()) {
            case RESOURCE_NOT_FOUND -> "RepositoryNotFoundException";
            case RESOURCE_IN_USE -> "RepositoryAlreadyExistsException";
            case LIMIT_EXCEEDED -> "LimitExceededException";
            case UNSUPPORTED -> "UnsupportedImageTypeException";
            case VALIDATION -> "ValidationException";
            default -> "InvalidParameterException";
        };
    }

    static String newRepo() throws Exception {
        String name = "ecr/repo-" + REPOS.incrementAndGet();
        ok("CreateRepository", "{\"repositoryName\":\"" + name + "\"}");
        return name;
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String quote(String s) throws Exception {
        return RegistryJson.MAPPER.writeValueAsString(s);
    }

    /** Uploads a layer through the ECR layer API in parts of {@code partSize}. */
    static String uploadLayer(String repo, byte[] content, int partSize) throws Exception {
        String uploadId = ok("InitiateLayerUpload", "{\"repositoryName\":\"" + repo + "\"}").get("uploadId").asText();
        for (int at = 0; at < content.length; at += partSize) {
            int end = Math.min(content.length, at + partSize);
            JsonNode part = ok("UploadLayerPart", "{\"repositoryName\":\"" + repo + "\",\"uploadId\":\"" + uploadId
                    + "\",\"partFirstByte\":" + at + ",\"partLastByte\":" + (end - 1) + ",\"layerPartBlob\":\""
                    + Base64.getEncoder().encodeToString(Arrays.copyOfRange(content, at, end)) + "\"}");
            assertThat(part.get("lastByteReceived").asLong()).isEqualTo(end - 1);
        }
        String digest = Digest.sha256(content).toString();
        JsonNode done = ok("CompleteLayerUpload", "{\"repositoryName\":\"" + repo + "\",\"uploadId\":\"" + uploadId
                + "\",\"layerDigests\":[\"" + digest + "\"]}");
        assertThat(done.get("layerDigest").asText()).isEqualTo(digest);
        return digest;
    }

    static String manifestWith(String repo, long seed) throws Exception {
        byte[] config = bytes("{\"os\":\"linux\",\"seed\":" + seed + "}");
        byte[] layer = random(3000, seed);
        for (byte[] blob : List.of(config, layer)) {
            JsonNode check = ok("BatchCheckLayerAvailability", "{\"repositoryName\":\"" + repo
                    + "\",\"layerDigests\":[\"" + Digest.sha256(blob) + "\"]}");
            if (check.get("layers").isEmpty()) {
                uploadLayer(repo, blob, 1000);
            }
        }
        return TestManifests.image(MediaTypes.DOCKER_MANIFEST, config, List.of(layer));
    }

    static JsonNode putImage(String repo, String manifest, String tag) throws Exception {
        return ok("PutImage", "{\"repositoryName\":\"" + repo + "\",\"imageManifest\":" + quote(manifest)
                + (tag == null ? "" : ",\"imageTag\":\"" + tag + "\"") + "}");
    }
}
