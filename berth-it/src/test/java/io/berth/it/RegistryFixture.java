package io.berth.it;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.berth.aws.http.EdgeHandler;
import io.berth.aws.http.EdgeServer;
import io.berth.aws.sigv4.CredentialSource;
import io.berth.aws.sigv4.SigV4Verifier;
import io.berth.core.arn.Account;
import io.berth.registry.RegistryApi;
import io.berth.registry.blob.FileBlobStore;
import io.berth.store.sqlite.SqliteStateStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * The registry as the server will mount it ({@code RegistryApi.build}), on its own Berth edge
 * (Jetty, SigV4 with one fixed key) on a free loopback port, over a real SQLite store and a blob
 * directory; an AWS SDK v2 ECR client pointed at it, and helpers to run {@code docker} and
 * {@code skopeo} against it.
 */
final class RegistryFixture implements AutoCloseable {
    static final String ACCESS_KEY = "AKIAREGISTRYIT000001";
    static final String SECRET = "registry-it-secret-00000000000000000000000";
    static final Account ACCOUNT = new Account("000000000000", "us-east-1");
    /** Lifecycle policies are enforced this often here (5 minutes in the server). */
    static final Duration LIFECYCLE_INTERVAL = Duration.ofSeconds(1);

    final Path dir;
    final int port;
    private final SqliteStateStore store;
    private final RegistryApi.Registry registry;
    private final EdgeServer edge;
    private final EcrClient ecr;

    RegistryFixture() throws Exception {
        dir = Files.createTempDirectory("berth-registry-it-");
        port = freePort();
        store = SqliteStateStore.open(dir.resolve("store"));
        CredentialSource credentials = key -> key.equals(ACCESS_KEY) ? Optional.of(SECRET) : Optional.empty();
        registry = RegistryApi.build(store, ACCOUNT, FileBlobStore.open(dir.resolve("blobs"), InstantSource.system()),
                credentials, InstantSource.system(), host(), RegistryApi.Settings.defaults()
                        .withLifecycleInterval(LIFECYCLE_INTERVAL).withOsvDirectory(dir.resolve("osv")));
        edge = new EdgeServer("127.0.0.1", port, new EdgeHandler(List.of(registry.ecr()), List.of(registry.v2()),
                new SigV4Verifier(credentials), ACCOUNT, InstantSource.system())).start();
        ecr = EcrClient.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.of(ACCOUNT.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET)))
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD))
                .build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    String host() {
        return "127.0.0.1:" + port;
    }

    String endpoint() {
        return "http://" + host();
    }

    EcrClient ecr() {
        return ecr;
    }

    /** The password of a fresh GetAuthorizationToken (the part after {@code AWS:}). */
    String password() {
        String token = ecr.getAuthorizationToken().authorizationData().get(0).authorizationToken();
        return new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8).substring("AWS:".length());
    }

    /** The output of a command and its exit code. */
    record Run(int exit, String output) {
    }

    /** Runs a command (stderr into stdout), with extra environment, for at most {@code seconds}. */
    static Run run(Map<String, String> env, int seconds, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Skips (or, with berth.requireDocker=true, fails) the test when {@code command} is not installed. */
    static void require(String command) throws Exception {
        boolean present;
        try {
            present = run(Map.of(), 30, command, "--version").exit() == 0;
        } catch (IOException e) {
            present = false;
        }
        if (!present) {
            String why = command + " is not installed";
            if (Boolean.getBoolean("berth.requireDocker")) {
                fail(why + " (and berth.requireDocker=true)");
            }
            assumeTrue(false, why);
        }
    }

    static List<String> list(String... items) {
        return new ArrayList<>(List.of(items));
    }

    @Override
    public void close() throws Exception {
        ecr.close();
        edge.close();
        registry.background().close();
        store.close();
    }
}
