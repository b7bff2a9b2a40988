package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.aws.sigv4.SigV4Signer;
import io.berth.core.arn.Account;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --osv-dir} / BERTH_OSV_DIR: where the registry's image scanning reads OSV files. */
class OsvDirOptionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void theOptionNamesTheDirectoryElseItIsInTheDataDirectory() {
        Main.Server server = new Main.Server();
        new CommandLine(server).parseArgs("--data-dir", dir.toString(), "--osv-dir", "vulns");
        assertThat(server.config().osvDirectory()).isEqualTo(Path.of("vulns").toAbsolutePath());

        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("BERTH_OSV_DIR") == null, "BERTH_OSV_DIR is set");
        Main.Server plain = new Main.Server();
        new CommandLine(plain).parseArgs("--data-dir", dir.toString());
        assertThat(plain.config().osvDirectory()).isEqualTo(dir.toAbsolutePath().resolve("registry").resolve("osv"));
    }

    @Test
    void scansMatchAgainstTheConfiguredDirectory() throws Exception {
        Path osv = dir.resolve("elsewhere");
        Files.createDirectories(osv);
        Files.writeString(osv.resolve("DEBIAN-CVE-2023-5678.json"), """
                {"id":"DEBIAN-CVE-2023-5678","aliases":["CVE-2023-5678"],
                 "affected":[{"package":{"ecosystem":"Debian:12","name":"openssl"},
                   "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.0.11-1~deb12u2"}]}]}],
                 "database_specific":{"severity":"high"}}""");
        ServerConfig config = new ServerConfig("127.0.0.1", 0, dir.resolve("data"),
                new Account("000000000000", "us-east-1"), false, null, null).withOsvDir(osv);
        try (BerthServer server = BerthServer.start(config)) {
            String repo = "{\"repositoryName\":\"scanned\"";
            ecr(server, "CreateRepository", repo + "}");
            byte[] layer = gzipTar(Map.of("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n",
                    "var/lib/dpkg/status", "Package: libssl3\nStatus: install ok installed\nSource: openssl\n"
                            + "Version: 3.0.9-1\n"));
            byte[] config2 = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
            for (byte[] blob : new byte[][] {layer, config2}) {
                String upload = ecr(server, "InitiateLayerUpload", repo + "}").get("uploadId").asText();
                ecr(server, "UploadLayerPart", repo + ",\"uploadId\":\"" + upload + "\",\"partFirstByte\":0,"
                        + "\"partLastByte\":" + (blob.length - 1) + ",\"layerPartBlob\":\""
                        + Base64.getEncoder().encodeToString(blob) + "\"}");
                ecr(server, "CompleteLayerUpload", repo + ",\"uploadId\":\"" + upload + "\",\"layerDigests\":[\""
                        + digest(blob) + "\"]}");
            }
            String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
                    + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"digest\":\""
                    + digest(config2) + "\",\"size\":" + config2.length + "},\"layers\":[{\"mediaType\":"
                    + "\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"digest\":\"" + digest(layer)
                    + "\",\"size\":" + layer.length + "}]}";
            ecr(server, "PutImage", repo + ",\"imageTag\":\"v1\",\"imageManifest\":"
                    + JSON.writeValueAsString(manifest) + "}");
            String image = repo + ",\"imageId\":{\"imageTag\":\"v1\"}}";
            ecr(server, "StartImageScan", image);
            JsonNode findings = ecr(server, "DescribeImageScanFindings", image);
            for (int i = 0; i < 200 && findings.at("/imageScanStatus/status").asText().equals("IN_PROGRESS"); i++) {
                Thread.sleep(50);
                findings = ecr(server, "DescribeImageScanFindings", image);
            }
            assertThat(findings.at("/imageScanStatus/status").asText()).isEqualTo("COMPLETE");
            assertThat(findings.at("/imageScanFindings/findings/0/name").asText()).isEqualTo("CVE-2023-5678");
        }
    }

    private static JsonNode ecr(BerthServer server, String operation, String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(server.endpoint() + "/");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", uri.getHost() + ":" + uri.getPort());
        headers.put("content-type", "application/x-amz-json-1.1");
        headers.put("x-amz-target", "AmazonEC2ContainerRegistry_V20150921." + operation);
        Map<String, String> signed = new SigV4Signer(server.credentials().accessKeyId(),
                server.credentials().secretAccessKey(), "us-east-1", "ecr")
                .sign("POST", "/", null, headers, body, Instant.now());
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(Duration.ofSeconds(30));
        headers.forEach((k, v) -> {
            if (!k.equals("host")) {
                b.header(k, v);
            }
        });
        signed.forEach(b::header);
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(operation + " " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static String digest(byte[] content) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    /** A gzipped ustar archive of the files (an image layer). */
    private static byte[] gzipTar(Map<String, String> files) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (Map.Entry<String, String> f : new java.util.TreeMap<>(files).entrySet()) {
            byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
            byte[] h = new byte[512];
            put(h, 0, f.getKey());
            put(h, 100, "0000644");
            put(h, 124, String.format("%011o", content.length));
            put(h, 136, String.format("%011o", 0));
            h[156] = '0';
            put(h, 257, "ustar");
            put(h, 263, "00");
            java.util.Arrays.fill(h, 148, 156, (byte) ' ');
            long sum = 0;
            for (byte x : h) {
                sum += x & 0xff;
            }
            put(h, 148, String.format("%06o", sum));
            h[154] = 0;
            tar.writeBytes(h);
            tar.writeBytes(content);
            tar.writeBytes(new byte[(512 - content.length % 512) % 512]);
        }
        tar.writeBytes(new byte[1024]);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write(tar.toByteArray());
        }
        return gz.toByteArray();
    }

    private static void put(byte[] h, int offset, String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, offset, b.length);
    }
}
