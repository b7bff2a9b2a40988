package io.berth.it;

import static org.awaitility.Awaitility.await;

import io.berth.agent.Agent;
import io.berth.agent.AgentConfig;
import io.berth.agent.channel.HttpServerChannel;
import io.berth.agent.engine.PullBehavior;
import io.berth.agent.logs.LogShipping;
import io.berth.agent.metadata.MetadataService;
import io.berth.agent.runtime.DockerEngineRuntime;
import io.berth.aws.http.EdgeHandler;
import io.berth.aws.http.EdgeServer;
import io.berth.aws.sigv4.SigV4Verifier;
import io.berth.core.agent.AgentLabels;
import io.berth.core.arn.Account;
import io.berth.core.runtime.ContainerState;
import io.berth.ecs.EcsApi;
import io.berth.logs.LogsApi;
import io.berth.server.RootCredentials;
import io.berth.store.sqlite.SqliteStateStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * A Berth control plane with the Logs API beside ECS, wired as BerthServer would wire it (one store,
 * one edge, root credentials in the store), on a fixed port so that it can be stopped and started
 * again mid-test; and a real agent on the real Docker Engine with log shipping and the task metadata
 * endpoint. Skipped without an engine unless {@code berth.requireDocker=true}; removes only the
 * containers of its own container instance.
 */
final class LogsFixture implements AutoCloseable {
    static final Account ACCOUNT = new Account("000000000000", "us-east-1");
    static final String KEY = "AKIDLOGSFIXTURE00001";
    static final String SECRET = "logs-fixture-secret";

    final DockerEngineRuntime runtime;
    private final Path dataDir;
    private final Path agentState;
    private int port;
    private SqliteStateStore store;
    private EcsApi.Ecs ecsApi;
    private LogsApi.Logs logsApi;
    private EdgeServer edge;
    private EcsClient ecs;
    private CloudWatchLogsClient logs;
    private Agent agent;
    private MetadataService metadata;
    private String instanceArn;

    private LogsFixture(DockerEngineRuntime runtime, Path dataDir, Path agentState) {
        this.runtime = runtime;
        this.dataDir = dataDir;
        this.agentState = agentState;
    }

    static LogsFixture start() throws Exception {
        DockerEngineRuntime runtime = TestEngine.open();
        LogsFixture f = new LogsFixture(runtime, Files.createTempDirectory("berth-logs-it-"),
                Files.createTempDirectory("berth-logs-agent-"));
        f.startServer();
        f.startAgent();
        return f;
    }

    /** The server: store, credentials, ECS and Logs on one edge (what BerthServer.start would do). */
    void startServer() throws Exception {
        store = SqliteStateStore.open(dataDir.resolve("store"));
        RootCredentials credentials = new RootCredentials(store, dataDir);
        credentials.ensure(KEY, SECRET);
        SigV4Verifier verifier = new SigV4Verifier(credentials);
        ecsApi = EcsApi.build(store, ACCOUNT, verifier, InstantSource.system());
        logsApi = LogsApi.build(store, ACCOUNT, InstantSource.system());
        EdgeHandler handler = new EdgeHandler(List.of(ecsApi.api(), logsApi.api()), List.of(ecsApi.agentChannel()),
                verifier, ACCOUNT, InstantSource.system());
        edge = new EdgeServer("127.0.0.1", port, handler).start();
        port = edge.port();
        URI endpoint = URI.create(endpoint());
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET));
        ecs = EcsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(creds)
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD)).build();
        logs = CloudWatchLogsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(creds).httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD)).build();
    }

    /** Stops the server as a clean shutdown would; the agent keeps running and buffering. */
    void stopServer() throws Exception {
        ecs.close();
        logs.close();
        logsApi.close();
        ecsApi.serviceScheduler().close();
        ecsApi.sessions().close();
        edge.close();
        store.close();
    }

    void startAgent() throws InterruptedException {
        AgentConfig config = AgentConfig.of(URI.create(endpoint()), agentState, KEY, SECRET)
                .withStopTimeout(Duration.ofSeconds(3))
                .withCleanupDelay(Duration.ofSeconds(2))
                .withRelistInterval(Duration.ofSeconds(1))
                .withHeartbeatInterval(Duration.ofSeconds(2))
                .withRetry(Duration.ofMillis(100), Duration.ofSeconds(1))
                .withAttributes(Map.of("ecs.availability-zone", "us-east-1a"))
                .withPullBehavior(PullBehavior.PREFER_CACHED);
        metadata = new MetadataService(MetadataService.Settings.defaults().withPort(0)
                .withStatsInterval(Duration.ofSeconds(1)));
        agent = Agent.start(config, runtime, new HttpServerChannel(config.serverUrl(), config.region(),
                config.accessKeyId(), config.secretAccessKey(), InstantSource.system()), InstantSource.system(),
                new Random(), List.of(new LogShipping(Duration.ofMillis(500)), metadata));
        if (!agent.awaitRegistered(Duration.ofSeconds(30))) {
            throw new IllegalStateException("agent did not register");
        }
        instanceArn = agent.registered().orElseThrow().containerInstanceArn();
    }

    void stopAgent() {
        agent.close();
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    EcsClient ecs() {
        return ecs;
    }

    CloudWatchLogsClient logs() {
        return logs;
    }

    MetadataService metadata() {
        return metadata;
    }

    Task describe(String taskArn) {
        return ecs.describeTasks(d -> d.tasks(taskArn)).tasks().get(0);
    }

    Task awaitStatus(String taskArn, String status, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200))
                .until(() -> status.equals(describe(taskArn).lastStatus()));
        return describe(taskArn);
    }

    List<ContainerState> containers(String taskArn) {
        return runtime.list(Map.of(AgentLabels.TASK_ARN, taskArn), Duration.ofSeconds(10));
    }

    static String taskId(String taskArn) {
        return taskArn.substring(taskArn.lastIndexOf('/') + 1);
    }

    @Override
    public void close() throws Exception {
        try {
            for (String arn : ecs.listTasks().taskArns()) {
                ecs.stopTask(s -> s.task(arn));
            }
        } catch (RuntimeException ignored) {
            // best effort
        }
        if (agent != null) {
            agent.close();
        }
        if (instanceArn != null) {
            HostCleanup.removeWithTaskCgroups(runtime, runtime.list(Map.of(AgentLabels.CONTAINER_INSTANCE, instanceArn),
                    Duration.ofSeconds(10)));
        }
        runtime.close();
        stopServer();
    }
}
