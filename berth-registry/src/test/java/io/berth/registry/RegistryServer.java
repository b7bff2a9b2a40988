package io.berth.registry;

import io.berth.aws.http.EdgeHandler;
import io.berth.aws.http.EdgeServer;
import io.berth.aws.sigv4.CredentialSource;
import io.berth.aws.sigv4.SigV4Signer;
import io.berth.aws.sigv4.SigV4Verifier;
import io.berth.core.arn.Account;
import io.berth.core.store.StateStore;
import io.berth.registry.blob.BlobStore;
import io.berth.registry.blob.FileBlobStore;
import io.berth.testkit.store.InMemoryStateStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry alone on a Berth edge (Jetty, SigV4) on a free loopback port, over an in-memory store
 * and a blob directory, with one fixed access key. For tests; {@link #main} runs one by hand.
 */
public final class RegistryServer implements AutoCloseable {
    public static final String ACCESS_KEY = "AKIAREGISTRYTEST0001";
    public static final String SECRET = "registry-test-secret-key-0000000000000000";
    public static final Account ACCOUNT = new Account("000000000000", "us-east-1");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public final StateStore store;
    public final BlobStore blobs;
    public final RegistryApi.Registry registry;
    public final EdgeServer edge;
    public final Path blobDir;
    private final boolean ownsStore;

    private RegistryServer(StateStore store, boolean ownsStore, Path blobDir, InstantSource clock,
                           RegistryApi.Settings settings) throws Exception {
        this.store = store;
        this.ownsStore = ownsStore;
        this.blobDir = blobDir;
        CredentialSource credentials = key -> key.equals(ACCESS_KEY) ? Optional.of(SECRET) : Optional.empty();
        this.blobs = FileBlobStore.open(blobDir, clock);
        // the port is known only after start; the host only matters for repositoryUri and download URLs
        EdgeHolder holder = new EdgeHolder();
        this.registry = RegistryApi.build(store, ACCOUNT, blobs, credentials, clock, "127.0.0.1:" + holder.port,
                settings);
        this.edge = new EdgeServer("127.0.0.1", holder.port, new EdgeHandler(List.of(registry.ecr()),
                List.of(registry.v2()), new SigV4Verifier(credentials), ACCOUNT, clock)).start();
    }

    private static final class EdgeHolder {
        final int port = freePort();
    }

    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A registry with its blobs, and the OSV files scanning reads, under a fresh temporary directory. */
    public static RegistryServer start() throws Exception {
        Path dir = Files.createTempDirectory("berth-registry-");
        return start(new InMemoryStateStore(), dir.resolve("blobs"), InstantSource.system(),
                RegistryApi.Settings.defaults().withOsvDirectory(dir.resolve("osv")));
    }

    /** Where scanning reads OSV files (when started by {@link #start()}). */
    public Path osvDir() {
        return blobDir.resolveSibling("osv");
    }

    public static RegistryServer start(StateStore store, Path blobDir, InstantSource clock,
                                       RegistryApi.Settings settings) throws Exception {
        return new RegistryServer(store, true, blobDir, clock, settings);
    }

    public String host() {
        return "127.0.0.1:" + edge.port();
    }

    public String endpoint() {
        return "http://" + host();
    }

    /** Calls an ECR operation with a SigV4-signed request; returns status and body. */
    public HttpResponse<String> ecr(String operation, String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("host", host());
        headers.put("content-type", "application/x-amz-json-1.1");
        headers.put("x-amz-target", "AmazonEC2ContainerRegistry_V20150921." + operation);
        Map<String, String> signed = new SigV4Signer(ACCESS_KEY, SECRET, ACCOUNT.region(), "ecr")
                .sign("POST", "/", null, headers, body, java.time.Instant.now());
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint() + "/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(30));
        headers.forEach((k, v) -> {
            if (!k.equals("host")) {
                b.header(k, v);
            }
        });
        signed.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        edge.close();
        registry.background().close();
        if (ownsStore) {
            store.close();
        }
    }

    /** Runs a registry on a free port until killed; prints its address. */
    public static void main(String[] args) throws Exception {
        RegistryServer server = start();
        System.out.println("registry at " + server.endpoint() + " blobs in " + server.blobDir);
        System.out.println(server.ecr("CreateRepository", "{\"repositoryName\":\"demo/app\"}").body());
        System.out.println(server.ecr("GetAuthorizationToken", "{}").body());
        Thread.currentThread().join();
    }
}
