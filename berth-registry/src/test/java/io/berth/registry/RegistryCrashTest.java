package io.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.registry.bench.BenchRegistry;
import io.berth.registry.blob.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry process ({@link BenchRegistry}: SQLite store, file blobs) killed with SIGKILL while two
 * blob pushes stream in over HTTP, a chunked upload's PATCH and a monolithic {@code POST ?digest=},
 * then restarted on the same directory: neither blob is known, the session upload resumes at the
 * offset it holds, and both pushes, finished or redone, land whole.
 */
class RegistryCrashTest {
    private static final String REPOSITORY = "bench/r0";
    private static final int SIZE = 16 * 1024 * 1024;
    private static final int SENT = 4 * 1024 * 1024;
    private static final Pattern HOST = Pattern.compile("(?m)^host (\\S+)$");
    private static final Pattern PASSWORD = Pattern.compile("(?m)^password (\\S+)$");

    @TempDir
    Path dir;

    @Test
    void killMinus9MidPushLeavesTheBlobsUnknownAndThePushesLandAfterARestart() throws Exception {
        byte[] chunked = random(3);
        byte[] monolithic = random(4);
        Digest chunkedDigest = Digest.sha256(chunked);
        Digest monolithicDigest = Digest.sha256(monolithic);
        Path data = dir.resolve("registry");
        Path uploads = data.resolve("blobs").resolve("uploads");
        String session;
        try (ChildJvm registry = ChildJvm.start(dir.resolve("before.log"), BenchRegistry.class, data.toString(), "1")) {
            Login login = login(registry);
            OciClient.Reply started = login.client().post("/v2/" + REPOSITORY + "/blobs/uploads/", null);
            assertThat(started.status()).as(started.toString()).isEqualTo(202);
            session = started.header("Location");
            String uploadId = started.header("Docker-Upload-UUID");
            // both requests announce the whole blob and send a quarter of it: the server waits for more,
            // having written all it received (whole buffers of 256 KiB, which SENT is a multiple of)
            try (Socket patch = sendPart(login, "PATCH", session, chunked);
                 Socket post = sendPart(login, "POST", "/v2/" + REPOSITORY + "/blobs/uploads/?digest="
                         + monolithicDigest, monolithic)) {
                await("both pushes half-written").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                        .untilAsserted(() -> {
                            assertThat(registry.alive()).as("registry alive; its output:%n%s", registry.output())
                                    .isTrue();
                            assertThat(size(uploads.resolve(uploadId).resolve("data"))).isEqualTo(SENT);
                            assertThat(partSizes(uploads)).containsExactly((long) SENT);
                        });
                registry.kill9();
            }
        }

        try (ChildJvm registry = ChildJvm.start(dir.resolve("after.log"), BenchRegistry.class, data.toString(), "1")) {
            OciClient oci = login(registry).client();
            for (Digest half : List.of(chunkedDigest, monolithicDigest)) {
                String blob = "/v2/" + REPOSITORY + "/blobs/" + half;
                assertThat(oci.head(blob).status()).isEqualTo(404);
                OciClient.Reply get = oci.get(blob);
                assertThat(get.status()).isEqualTo(404);
                assertThat(get.errorCode()).isEqualTo("BLOB_UNKNOWN");
            }
            assertThat(partSizes(uploads)).as("the monolithic push's leftovers").isEmpty();

            // the session holds what it had written, and resumes there
            OciClient.Reply status = oci.get(session);
            assertThat(status.status()).as(status.toString()).isEqualTo(204);
            long offset = Long.parseLong(status.header("Range").substring("0-".length())) + 1;
            assertThat(offset).isEqualTo(SENT);
            OciClient.Reply patched = oci.patch(session, Arrays.copyOfRange(chunked, (int) offset, SIZE),
                    "Content-Type", "application/octet-stream", "Content-Range", offset + "-" + (SIZE - 1));
            assertThat(patched.status()).as(patched.toString()).isEqualTo(202);
            OciClient.Reply finished = oci.put(session + "?digest=" + chunkedDigest, new byte[0]);
            assertThat(finished.status()).as(finished.toString()).isEqualTo(201);

            // the monolithic push starts over
            OciClient.Reply pushed = oci.post("/v2/" + REPOSITORY + "/blobs/uploads/?digest=" + monolithicDigest,
                    monolithic, "Content-Type", "application/octet-stream");
            assertThat(pushed.status()).as(pushed.toString()).isEqualTo(201);

            for (Digest whole : List.of(chunkedDigest, monolithicDigest)) {
                String blob = "/v2/" + REPOSITORY + "/blobs/" + whole;
                OciClient.Reply head = oci.head(blob);
                assertThat(head.status()).isEqualTo(200);
                assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(SIZE));
                assertThat(Digest.sha256(oci.get(blob).body())).isEqualTo(whole);
            }
        }
    }

    private record Login(String host, String password) {
        OciClient client() {
            return new OciClient("http://" + host, password);
        }
    }

    /** Waits for the registry to print its address and password. */
    private static Login login(ChildJvm registry) {
        String[] found = new String[2];
        await("registry started").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> {
                    String output = registry.output();
                    assertThat(registry.alive()).as("registry alive; its output:%n%s", output).isTrue();
                    Matcher host = HOST.matcher(output);
                    Matcher password = PASSWORD.matcher(output);
                    assertThat(host.find() && password.find()).as(output).isTrue();
                    found[0] = host.group(1);
                    found[1] = password.group(1);
                });
        return new Login(found[0], found[1]);
    }

    /** Starts a request announcing all of {@code body} and sends its first {@link #SENT} bytes. */
    private static Socket sendPart(Login login, String method, String path, byte[] body) throws IOException {
        String[] hostPort = login.host().split(":");
        Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
        String auth = Base64.getEncoder().encodeToString(("AWS:" + login.password()).getBytes(StandardCharsets.UTF_8));
        OutputStream out = socket.getOutputStream();
        out.write((method + " " + path + " HTTP/1.1\r\nHost: " + login.host() + "\r\nAuthorization: Basic " + auth
                + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body, 0, SENT);
        out.flush();
        return socket;
    }

    private static List<Long> partSizes(Path uploads) throws IOException {
        if (!Files.isDirectory(uploads)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(uploads)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".part")).map(RegistryCrashTest::size)
                    .toList();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1; // not there (yet)
        }
    }

    private static byte[] random(long seed) {
        byte[] b = new byte[SIZE];
        new Random(seed).nextBytes(b);
        return b;
    }
}
