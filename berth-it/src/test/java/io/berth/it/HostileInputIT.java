package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.aws.sigv4.SigV4Signer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Thousands of malformed and hostile requests, seeded: wrong types for every member of every ECS
 * operation, broken JSON, deep nesting, huge values, garbage targets and raw HTTP junk. No answer
 * may be a 5xx, and the server must still serve afterwards.
 */
class HostileInputIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static BerthFixture berth;
    private static RawClient raw;
    private static SigV4Signer signer;

    @BeforeAll
    static void start() throws Exception {
        berth = new BerthFixture();
        raw = new RawClient(berth.endpoint(), berth.server().credentials().accessKeyId(),
                berth.server().credentials().secretAccessKey());
        signer = new SigV4Signer(berth.server().credentials().accessKeyId(),
                berth.server().credentials().secretAccessKey(), "us-east-1", "ecs");
    }

    @AfterAll
    static void stop() throws Exception {
        berth.close();
    }

    @Test
    void noHostileRequestGetsA5xx() throws Exception {
        Random random = new Random(20261124);
        JsonNode model = loadModel();
        List<String> operations = new ArrayList<>();
        model.get("operations").fieldNames().forEachRemaining(operations::add);
        int sent = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            String operation = operations.get(random.nextInt(operations.size()));
            String body = hostileBody(random, model, operation);
            String target = random.nextInt(20) == 0 ? garbage(random, 30) : RawClient.ECS + operation;
            HttpResponse<String> response = raw.send(target, body.getBytes(StandardCharsets.UTF_8), Instant.now(), signer);
            sent++;
            if (response.statusCode() >= 500) {
                failures.add(response.statusCode() + " " + operation + " " + abbreviate(body) + " -> " + response.body());
            }
        }
        for (int i = 0; i < 300; i++) {
            int status = rawHttp(random);
            sent++;
            if (status >= 500) {
                failures.add("raw HTTP junk #" + i + " -> " + status);
            }
        }
        assertThat(failures).as("5xx answers out of %d hostile requests", sent).isEmpty();
        assertThat(raw.ecs("ListClusters", "{}").statusCode()).isEqualTo(200);
        assertThat(berth.ecs().createCluster(r -> r.clusterName("still-here")).cluster().status()).isEqualTo("ACTIVE");
    }

    private static String hostileBody(Random random, JsonNode model, String operation) {
        switch (random.nextInt(10)) {
            case 0:
                return garbage(random, random.nextInt(200));
            case 1:
                return "[".repeat(5000) + "]".repeat(5000);
            case 2:
                return "{\"a\":" + "{\"a\":".repeat(3000) + "1" + "}".repeat(3001);
            case 3:
                return "{\"cluster\":\"" + "\uD800".repeat(10) + "\",\"family\":\"\u0000\"}";
            case 4:
                return "{\"maxResults\":" + "9".repeat(500) + "}";
            default:
                break;
        }
        JsonNode input = model.path("operations").path(operation).path("input").path("shape");
        StringBuilder sb = new StringBuilder("{");
        JsonNode members = model.path("shapes").path(input.asText()).path("members");
        Iterator<Map.Entry<String, JsonNode>> it = members.fields();
        boolean first = true;
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> member = it.next();
            if (random.nextBoolean()) {
                continue;
            }
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append('"').append(member.getKey()).append("\":").append(randomValue(random, 0));
        }
        String body = sb.append('}').toString();
        return random.nextInt(8) == 0 ? body.substring(0, random.nextInt(body.length())) : body;
    }

    private static String randomValue(Random random, int depth) {
        switch (random.nextInt(depth > 3 ? 6 : 9)) {
            case 0: return "null";
            case 1: return Long.toString(random.nextLong());
            case 2: return random.nextBoolean() ? "true" : "false";
            case 3: return "\"" + garbage(random, random.nextInt(40)).replace("\\", "").replace("\"", "") + "\"";
            case 4: return "1.5e308";
            case 5: return "\"" + "x".repeat(random.nextInt(5000)) + "\"";
            case 6: {
                StringBuilder sb = new StringBuilder("[");
                for (int i = 0, n = random.nextInt(5); i < n; i++) {
                    sb.append(i > 0 ? "," : "").append(randomValue(random, depth + 1));
                }
                return sb.append(']').toString();
            }
            default: {
                StringBuilder sb = new StringBuilder("{");
                for (int i = 0, n = random.nextInt(5); i < n; i++) {
                    sb.append(i > 0 ? "," : "").append("\"k").append(i).append("\":").append(randomValue(random, depth + 1));
                }
                return sb.append('}').toString();
            }
        }
    }

    private static int rawHttp(Random random) throws Exception {
        URI uri = URI.create(berth.endpoint());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            String junk = switch (random.nextInt(6)) {
                case 0 -> garbage(random, 300) + "\r\n\r\n";
                case 1 -> "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n";
                case 2 -> "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: " + RawClient.ECS
                        + "ListClusters\r\nContent-Length: 100\r\n\r\n{\"short\":1}";
                case 3 -> "GET /" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
                case 4 -> "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nX-Amz-Target: "
                        + RawClient.ECS + "ListClusters\r\n\r\nZZ\r\n";
                default -> "POST / HTTP/1.1\r\nHost: x\r\n" + "X-Junk: y\r\n".repeat(10_000) + "\r\n";
            };
            try {
                out.write(junk.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                socket.shutdownOutput();
            } catch (java.io.IOException closedEarly) {
                return 0;
            }
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(12);
            String status = new String(head, StandardCharsets.ISO_8859_1);
            if (status.startsWith("HTTP/1.1 ") && status.length() >= 12) {
                return Integer.parseInt(status.substring(9, 12));
            }
            return 0;
        } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
            return 0;
        }
    }

    private static String garbage(Random random, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) (random.nextInt(0x7f - 0x20) + 0x20));
        }
        return sb.toString();
    }

    private static String abbreviate(String s) {
        return s.length() < 200 ? s : s.substring(0, 200) + "...";
    }

    private static JsonNode loadModel() throws Exception {
        try (InputStream in = io.berth.ecs.EcsApi.class.getResourceAsStream("ecs-model.json")) {
            return JSON.readTree(in);
        }
    }
}
