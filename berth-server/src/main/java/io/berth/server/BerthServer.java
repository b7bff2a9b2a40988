package io.berth.server;

import io.berth.aws.http.EdgeHandler;
import io.berth.aws.http.EdgeServer;
import io.berth.core.arn.Account;
import io.berth.aws.sigv4.SigV4Verifier;
import io.berth.core.store.StateStore;
import io.berth.aws.query.QueryEdge;
import io.berth.ecs.EcsApi;
import io.berth.lb.LoadBalancerApi;
import io.berth.logs.LogsApi;
import io.berth.registry.RegistryApi;
import java.util.concurrent.atomic.AtomicInteger;
import io.berth.store.StateStores;
import io.berth.store.metered.MeteredStateStore;
import io.berth.aws.cbor.RpcV2CborRoute;
import io.berth.cloudwatch.CloudWatchApi;
import io.berth.cloudwatch.metric.MetricStore;
import io.berth.server.metrics.MetricsRoute;
import io.berth.server.metrics.MicrometerMetrics;
import java.nio.file.Files;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

/** A running Berth control plane: the store, the API services and the edge on one port. */
public final class BerthServer implements AutoCloseable {
    private final ServerConfig config;
    private final StateStore store;
    private final RootCredentials credentials;
    private final EdgeServer edge;
    private final boolean credentialsCreated;

    private final EcsApi.Ecs ecs;
    private final Housekeeping housekeeping;
    private final List<AutoCloseable> services;
    private final MicrometerMetrics metrics;

    private BerthServer(ServerConfig config, StateStore store, RootCredentials credentials, EdgeServer edge,
                        boolean credentialsCreated, EcsApi.Ecs ecs, Housekeeping housekeeping,
                        MicrometerMetrics metrics, List<AutoCloseable> services) {
        this.metrics = metrics;
        this.ecs = ecs;
        this.housekeeping = housekeeping;
        this.services = services;
        this.config = config;
        this.store = store;
        this.credentials = credentials;
        this.edge = edge;
        this.credentialsCreated = credentialsCreated;
    }

    public static BerthServer start(ServerConfig config) throws Exception {
        return start(config, 1.0);
    }

    /**
     * A server whose load balancer health checks run {@code healthCheckTimeScale} times their
     * configured intervals and timeouts (1 in production; tests shorten them).
     */
    public static BerthServer start(ServerConfig config, double healthCheckTimeScale) throws Exception {
        Files.createDirectories(config.dataDir());
        MicrometerMetrics metrics = MicrometerMetrics.withJvmMeters();
        StateStore store = new MeteredStateStore(StateStores.open(config.store(), config.dataDir()), metrics);
        try {
            RootCredentials credentials = new RootCredentials(store, config.dataDir());
            boolean created = credentials.ensure(config.rootAccessKeyId(), config.rootSecretAccessKey());
            SigV4Verifier verifier = new SigV4Verifier(credentials);
            LbTargetRegistry targets = new LbTargetRegistry();
            MetricStore metricStore = MetricStore.withDefaults(InstantSource.system());
            CloudWatchApi.CloudWatch cloudWatch = CloudWatchApi.build(metricStore, InstantSource.system());
            EcsApi.Ecs ecs = EcsApi.build(store, config.account(), verifier, InstantSource.system(), targets, metrics,
                    metricStore);
            Runnable reset = () -> {
                store.wipe(Duration.ofSeconds(30));
                ecs.sessions().forgetCaches();
                ecs.tasks().forgetCaches();
                credentials.reseed();
            };
            LoadBalancerApi.LoadBalancing lb = LoadBalancerApi.build(store, config.account(), InstantSource.system(),
                    LoadBalancerApi.Options.defaults(config.host()).withResolver(instanceId -> ecs.tasks().instances()
                            .byEc2InstanceId(instanceId).map(i -> i.hostAddress()))
                            .withHealthCheckTimeScale(healthCheckTimeScale));
            targets.bind(lb.targets());
            QueryEdge query = new QueryEdge(List.of(lb.api(), cloudWatch.query()), verifier, config.account(),
                    InstantSource.system());
            // The registry's address (repositoryUri, docker login) is the server's own, known once bound.
            AtomicInteger boundPort = new AtomicInteger(config.port());
            String uriHost = config.publicHost();
            RegistryApi.Registry registry = RegistryApi.build(store, config.account(),
                    config.dataDir().resolve("registry").resolve("blobs"), config.osvDirectory(), credentials,
                    InstantSource.system(), () -> uriHost + ":" + boundPort.get(), metrics);
            LogsApi.Logs logs = LogsApi.build(store, config.account(), InstantSource.system());
            EdgeHandler handler = new EdgeHandler(List.of(ecs.api(), registry.ecr(), logs.api(), cloudWatch.json()),
                    List.of(ecs.agentChannel(), registry.v2(), new BerthRoutes(config.allowReset(), reset),
                            new MetricsRoute(metrics), new RpcV2CborRoute(List.of(cloudWatch.json()),
                                    CloudWatchApi::queryErrorCode, verifier, config.account(), InstantSource.system())),
                    query,
                    verifier, config.account(), InstantSource.system(), metrics);
            EdgeServer edge;
            try {
                edge = new EdgeServer(config.host(), config.port(), handler).start();
            } catch (Exception | Error e) {
                registry.background().close();
                lb.close();
                logs.close();
                throw e;
            }
            boundPort.set(edge.port());
            Housekeeping housekeeping = Housekeeping.start(ecs);
            return new BerthServer(config, store, credentials, edge, created, ecs, housekeeping, metrics,
                    List.of(registry.background(), lb, logs, metrics));
        } catch (Exception | Error e) {
            store.close();
            throw e;
        }
    }

    public String endpoint() {
        return "http://" + (config.host().contains(":") ? "[" + config.host() + "]" : config.host()) + ":" + edge.port();
    }

    public int port() {
        return edge.port();
    }

    public RootCredentials credentials() {
        return credentials;
    }

    public boolean credentialsCreated() {
        return credentialsCreated;
    }

    /** Berth's own meters, served on {@code GET /metrics}; {@code up}'s local agent records here too. */
    public MicrometerMetrics metrics() {
        return metrics;
    }

    public StateStore store() {
        return store;
    }

    public Account account() {
        return config.account();
    }

    @Override
    public void close() throws Exception {
        try {
            housekeeping.close();
            ecs.serviceScheduler().close();
            ecs.sessions().close();
            edge.close();
            for (AutoCloseable service : services) {
                service.close();
            }
        } finally {
            store.close();
        }
    }
}
