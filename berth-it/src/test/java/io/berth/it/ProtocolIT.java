package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.aws.sigv4.SigV4Signer;
import io.berth.core.arn.Account;
import io.berth.server.BerthServer;
import io.berth.server.ServerConfig;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The AWS JSON 1.1 edge as the wire sees it: status, __type, headers, for good and bad requests. */
class ProtocolIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static BerthFixture berth;
    private static RawClient raw;

    @BeforeAll
    static void start() throws Exception {
        berth = new BerthFixture();
        raw = new RawClient(berth.endpoint(), berth.server().credentials().accessKeyId(),
                berth.server().credentials().secretAccessKey());
    }

    @AfterAll
    static void stop() throws Exception {
        berth.close();
    }

    @Test
    void answersWithAwsHeadersAndBody() throws Exception {
        HttpResponse<String> ok = raw.ecs("ListClusters", "{}");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(ok.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        assertThat(JSON.readTree(ok.body()).has("clusterArns")).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "NoSuchOperation|{}|400|UnknownOperationException",
        "ListClusters|{not json|400|SerializationException",
        "ListClusters|[1,2]|400|SerializationException",
        "ListClusters|{\"maxResults\":\"ten\"}|400|SerializationException",
        "ListClusters|{\"maxResults\":1e99}|400|SerializationException",
        "ListClusters|{} {}|400|SerializationException",
        "ListClusters|{\"a\":1,\"a\":2}|400|SerializationException",
        "DeleteCluster|{}|400|ValidationException",
        "DescribeClusters|{\"include\":[\"NOPE\"]}|400|ValidationException",
        "DeleteCluster|{\"cluster\":\"ghost\"}|400|ClusterNotFoundException",
        "ListClusters|{\"maxResults\":0}|400|InvalidParameterException",
    })
    void refusesBadRequestsAsAwsDoes(String operation, String body, int status, String type) throws Exception {
        HttpResponse<String> response = raw.ecs(operation, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("__type").asText()).isEqualTo(type);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue(type);
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
    }

    @Test
    void refusesBodiesOverTheLimit() throws Exception {
        byte[] big = ("{\"clusterName\":\"" + "x".repeat(2 << 20) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = raw.send(RawClient.ECS + "CreateCluster", big, Instant.now(), signer());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(response.body()).get("__type").asText()).isEqualTo("RequestEntityTooLargeException");
        assertThat(raw.ecs("ListClusters", "{}").statusCode()).isEqualTo(200);
    }

    @Test
    void refusesUnsignedUnknownForgedAndStaleRequests() throws Exception {
        assertError(raw.unsigned(RawClient.ECS + "ListClusters", "{}"), "MissingAuthenticationTokenException");
        SigV4Signer stranger = new SigV4Signer("AKIAUNKNOWN0000000", "secret", "us-east-1", "ecs");
        assertError(raw.send(RawClient.ECS + "ListClusters", "{}".getBytes(), Instant.now(), stranger),
                "UnrecognizedClientException");
        SigV4Signer forger = new SigV4Signer(berth.server().credentials().accessKeyId(), "wrong", "us-east-1", "ecs");
        assertError(raw.send(RawClient.ECS + "ListClusters", "{}".getBytes(), Instant.now(), forger),
                "InvalidSignatureException");
        HttpResponse<String> stale = raw.send(RawClient.ECS + "ListClusters", "{}".getBytes(),
                Instant.now().minus(Duration.ofMinutes(20)), signer());
        assertError(stale, "InvalidSignatureException");
        assertThat(stale.body()).contains("Signature expired");
        SigV4Signer otherService = new SigV4Signer(berth.server().credentials().accessKeyId(),
                berth.server().credentials().secretAccessKey(), "us-east-1", "ecr");
        assertError(raw.send(RawClient.ECS + "ListClusters", "{}".getBytes(), Instant.now(), otherService),
                "InvalidSignatureException");
    }

    @Test
    void resetExistsOnlyWhenAllowed() throws Exception {
        assertThat(raw.get("_berth/health").statusCode()).isEqualTo(200);
        assertThat(raw.post("_berth/reset").statusCode()).isEqualTo(200);
        try (BerthServer strict = BerthServer.start(new ServerConfig("127.0.0.1", 0,
                Files.createTempDirectory("berth-strict-"), new Account("000000000000", "us-east-1"), false,
                "AKIASTRICT", "strictsecret"))) {
            RawClient strictRaw = new RawClient(strict.endpoint(), "AKIASTRICT", "strictsecret");
            assertThat(strictRaw.post("_berth/reset").statusCode()).isEqualTo(404);
            assertThat(strictRaw.ecs("ListClusters", "{}").statusCode()).isEqualTo(200);
        }
    }

    private static SigV4Signer signer() {
        return new SigV4Signer(berth.server().credentials().accessKeyId(),
                berth.server().credentials().secretAccessKey(), "us-east-1", "ecs");
    }

    private static void assertError(HttpResponse<String> response, String type) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
        assertThat(JSON.readTree(response.body()).get("__type").asText()).isEqualTo(type);
    }
}
