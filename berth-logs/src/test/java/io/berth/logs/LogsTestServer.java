package io.berth.logs;

import io.berth.aws.http.EdgeHandler;
import io.berth.aws.http.EdgeServer;
import io.berth.aws.sigv4.SigV4Verifier;
import io.berth.core.arn.Account;
import io.berth.core.store.StateStore;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/** The Logs API on an edge of its own (SigV4 and all) on a free loopback port, over a given store. */
final class LogsTestServer implements AutoCloseable {
    static final String KEY = "AKIDLOGSTEST00000001";
    static final String SECRET = "logs-test-secret";
    static final Account ACCOUNT = new Account("000000000000", "us-east-1");

    final StateStore store;
    final LogsApi.Logs logs;
    private final EdgeServer edge;
    private CloudWatchLogsClient client;

    private LogsTestServer(StateStore store, LogsApi.Logs logs, EdgeServer edge) {
        this.store = store;
        this.logs = logs;
        this.edge = edge;
    }

    static LogsTestServer start(StateStore store) throws Exception {
        return start(store, 0);
    }

    static LogsTestServer start(StateStore store, int port) throws Exception {
        LogsApi.Logs logs = LogsApi.build(store, ACCOUNT, InstantSource.system(),
                new Ids(new SplittableRandom(7)), Duration.ofHours(1));
        SigV4Verifier verifier = new SigV4Verifier(k -> KEY.equals(k) ? Optional.of(SECRET) : Optional.empty());
        EdgeHandler handler = new EdgeHandler(List.of(logs.api()), List.of(), verifier, ACCOUNT, InstantSource.system());
        return new LogsTestServer(store, logs, new EdgeServer("127.0.0.1", port, handler).start());
    }

    String endpoint() {
        return "http://127.0.0.1:" + edge.port();
    }

    int port() {
        return edge.port();
    }

    CloudWatchLogsClient client() {
        if (client == null) {
            client = CloudWatchLogsClient.builder()
                    .endpointOverride(URI.create(endpoint()))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))
                    .httpClientBuilder(ApacheHttpClient.builder())
                    .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD))
                    .build();
        }
        return client;
    }

    /** Stops the edge and the janitor; the store stays open (the caller's). */
    @Override
    public void close() throws Exception {
        if (client != null) {
            client.close();
        }
        logs.close();
        edge.close();
    }
}
