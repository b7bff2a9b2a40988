package io.berth.agent.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.ListContainersCmd;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.runtime.ContainerEvent;
import io.berth.core.runtime.ContainerLogs;
import io.berth.core.runtime.ContainerStats;
import io.berth.core.runtime.ContainerRuntime;
import io.berth.core.runtime.ContainerSpec;
import io.berth.core.runtime.ContainerState;
import io.berth.core.runtime.HostInfo;
import io.berth.core.runtime.ImageInfo;
import io.berth.core.runtime.RegistryAuth;
import io.berth.core.runtime.RuntimeFailure;
import io.berth.core.runtime.RuntimeFailure.Kind;
import io.berth.core.runtime.TaskCgroups;
import io.berth.agent.cgroup.HostCgroups;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContainerRuntime} on a Docker Engine, through its HTTP API (docker-java, Apache HttpClient 5
 * transport; unix socket, or tcp with the usual {@code DOCKER_TLS_VERIFY}/{@code DOCKER_CERT_PATH}).
 *
 * <p>Two HTTP clients: one for request/answer calls, run by {@link EngineCalls} under each caller's
 * timeout (and a {@link #MAX_CALL} response timeout as the last resort), and one without a response
 * timeout for the streamed answers (pull, load, events), which are aborted by closing the stream.
 *
 * <p>Thread-safe. Close it to release the connections and threads.
 */
public final class DockerEngineRuntime implements ContainerRuntime {
    private static final Logger log = LoggerFactory.getLogger(DockerEngineRuntime.class);

    /** The engine when {@code DOCKER_HOST} is not set. */
    public static final URI DEFAULT_HOST = URI.create("unix:///var/run/docker.sock");
    /** No single request/answer call may take longer, whatever its timeout: covers TCP sockets stuck in read. */
    static final Duration MAX_CALL = Duration.ofMinutes(5);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(30);
    private static final int CALL_THREADS = 16;
    private static final ObjectMapper STATS_JSON = new ObjectMapper();

    private final URI host;
    private final DockerHttpClient callHttp;
    private final DockerHttpClient streamHttp;
    private final DockerClient calls;
    private final DockerClient streams;
    private final EngineCalls pool;
    private final Images images;
    private final java.util.concurrent.atomic.AtomicReference<TaskCgroups> taskCgroups =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** The engine of {@code DOCKER_HOST}, else {@link #DEFAULT_HOST}. */
    public DockerEngineRuntime() {
        this(hostFromEnvironment());
    }

    /** The engine at {@code host}: {@code unix:///path/docker.sock} or {@code tcp://host:port}. */
    public DockerEngineRuntime(URI host) {
        this.host = Objects.requireNonNull(host);
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host.toString())
                .build();
        callHttp = httpClient(config, MAX_CALL);
        streamHttp = httpClient(config, null);
        calls = DockerClientImpl.getInstance(config, callHttp);
        streams = DockerClientImpl.getInstance(config, streamHttp);
        pool = new EngineCalls(CALL_THREADS);
        images = new Images(calls, streams, pool);
    }

    /** {@code DOCKER_HOST} when set, else {@link #DEFAULT_HOST}. */
    public static URI hostFromEnvironment() {
        String env = System.getenv("DOCKER_HOST");
        return env == null || env.isBlank() ? DEFAULT_HOST : URI.create(env.strip());
    }

    public URI dockerHost() {
        return host;
    }

    @Override
    public HostInfo host(Duration timeout) {
        return pool.call("engine info", timeout, Kind.UNAVAILABLE, Kind.UNAVAILABLE, () -> {
            Info info = calls.infoCmd().exec();
            Version version = calls.versionCmd().exec();
            return new HostInfo(
                    info.getNCPU() == null ? 0 : info.getNCPU(),
                    info.getMemTotal() == null ? 0 : info.getMemTotal(),
                    info.getOsType(),
                    info.getArchitecture(),
                    info.getServerVersion(),
                    version.getApiVersion());
        });
    }

    /**
     * The engine's task cgroups, found out once from its cgroup driver and version (and whether the
     * cgroup filesystem takes writes); logged when found.
     */
    @Override
    public TaskCgroups taskCgroups(Duration timeout) {
        TaskCgroups known = taskCgroups.get();
        if (known != null) {
            return known;
        }
        Info info = pool.call("engine info", timeout, Kind.UNAVAILABLE, Kind.UNAVAILABLE,
                () -> calls.infoCmd().exec());
        TaskCgroups found = HostCgroups.detect(host, info.getCGroupDriver(), info.getCGroupVersion(), HostCgroups.ROOT);
        if (taskCgroups.compareAndSet(null, found)) {
            if (found.unsupportedReason() == null) {
                log.info("task-level cpu and memory limits: {}", found);
            } else {
                log.warn("no task cgroups ({}): a task's memory limits each of its containers alone, its cpu is not "
                        + "enforced",
                        found.unsupportedReason());
            }
        }
        return taskCgroups.get();
    }

    @Override
    public Optional<ImageInfo> image(String reference, Duration timeout) {
        return images.image(reference, timeout);
    }

    @Override
    public ImageInfo pull(String reference, RegistryAuth auth, Duration timeout) {
        return images.pull(reference, auth, timeout);
    }

    @Override
    public void load(InputStream tar, Duration timeout) {
        images.load(tar, timeout);
    }

    @Override
    public String create(ContainerSpec spec, Duration timeout) {
        String operation = "create container " + spec.name();
        return pool.call(operation, timeout, Kind.CREATE, Kind.CREATE, () -> {
            try {
                CreateContainerResponse created =
                        CreateRequests.fill(calls.createContainerCmd(spec.image()), spec).exec();
                return created.getId();
            } catch (NotFoundException e) {
                String message = EngineErrors.engineMessage(e);
                Kind kind = message.startsWith("No such image") ? Kind.IMAGE_NOT_FOUND : Kind.CREATE;
                throw new RuntimeFailure(kind, operation + ": " + message, e);
            }
        });
    }

    @Override
    public void start(String containerId, Duration timeout) {
        pool.call("start container " + containerId, timeout, Kind.START, Kind.NOT_FOUND, () -> {
            try {
                calls.startContainerCmd(containerId).exec();
            } catch (NotModifiedException alreadyRunning) {
                // fine: started already
            }
            return null;
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>The engine counts the grace in whole seconds (rounded up here) and answers once the
     * container has stopped, so {@code timeout} should exceed {@code grace}. A missing container is
     * {@link Kind#NOT_FOUND}.
     */
    @Override
    public void stop(String containerId, Duration grace, Duration timeout) {
        pool.call("stop container " + containerId, timeout, Kind.UNAVAILABLE, Kind.NOT_FOUND, () -> {
            try {
                calls.stopContainerCmd(containerId).withTimeout(CreateRequests.seconds(grace)).exec();
            } catch (NotModifiedException alreadyStopped) {
                // fine: not running
            }
            return null;
        });
    }

    @Override
    public void remove(String containerId, Duration timeout) {
        pool.call("remove container " + containerId, timeout, Kind.UNAVAILABLE, Kind.UNAVAILABLE, () -> {
            try {
                calls.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
            } catch (NotFoundException gone) {
                // fine: nothing to remove
            } catch (ConflictException e) {
                if (!EngineErrors.engineMessage(e).contains("already in progress")) {
                    throw e;
                }
            }
            return null;
        });
    }

    @Override
    public Optional<ContainerState> inspect(String containerId, Duration timeout) {
        return pool.call("inspect container " + containerId, timeout, Kind.UNAVAILABLE, Kind.UNAVAILABLE,
                () -> inspectNow(containerId));
    }

    @Override
    public List<ContainerState> list(Map<String, String> labels, Duration timeout) {
        return pool.call("list containers " + labels, timeout, Kind.UNAVAILABLE, Kind.UNAVAILABLE, () -> {
            ListContainersCmd cmd = calls.listContainersCmd().withShowAll(true);
            if (!labels.isEmpty()) {
                cmd.withLabelFilter(labels);
            }
            List<ContainerState> states = new ArrayList<>();
            for (Container c : cmd.exec()) {
                inspectNow(c.getId()).ifPresent(states::add); // gone in between: skipped
            }
            return states;
        });
    }

    private Optional<ContainerState> inspectNow(String containerId) {
        try {
            return Optional.of(ContainerStates.from(calls.inspectContainerCmd(containerId).exec()));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public void createVolume(String name, String driver, Map<String, String> driverOptions, Map<String, String> labels,
                             Duration timeout) {
        pool.call("create volume " + name, timeout, Kind.CREATE, Kind.CREATE, () -> calls.createVolumeCmd()
                .withName(name)
                .withDriver(driver == null ? "local" : driver)
                .withDriverOpts(driverOptions == null ? Map.of() : driverOptions)
                .withLabels(labels == null ? Map.of() : labels)
                .exec());
    }

    /**
     * {@inheritDoc}
     *
     * <p>A volume still in use by a container fails with {@link Kind#CREATE} (the port has no kind
     * for a conflict) and the engine's message.
     */
    @Override
    public void removeVolume(String name, Duration timeout) {
        pool.call("remove volume " + name, timeout, Kind.CREATE, Kind.CREATE, () -> {
            try {
                calls.removeVolumeCmd(name).exec();
            } catch (NotFoundException gone) {
                // fine: nothing to remove
            }
            return null;
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Returns once the engine has accepted the subscription (within 30 s, else {@link Kind#UNAVAILABLE}
     * or {@link Kind#TIMEOUT}); events are delivered on the stream's own thread. Event labels are
     * the container's labels (Docker's name, image, exitCode and signal attributes left out).
     */
    @Override
    public AutoCloseable events(Map<String, String> labels, Consumer<ContainerEvent> listener, Runnable onClose) {
        return EventSubscription.open(streams, labels, listener, onClose, SUBSCRIBE_TIMEOUT);
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code GET /containers/{id}/logs} on the streaming client (no response timeout; closing the
     * stream aborts it). Containers Berth creates have no TTY, so the answer is multiplexed.
     */
    @Override
    public ContainerLogs logs(String containerId, Instant since, boolean follow, Duration timeout) {
        String operation = "logs of container " + containerId;
        StringBuilder path = new StringBuilder("/containers/").append(containerId)
                .append("/logs?stdout=1&stderr=1&timestamps=1&follow=").append(follow ? 1 : 0);
        if (since != null) {
            path.append("&since=").append(since.getEpochSecond()).append('.')
                    .append(String.format("%09d", since.getNano()));
        }
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET).path(path.toString()).build();
        DockerHttpClient.Response response = pool.call(operation, timeout, Kind.UNAVAILABLE, Kind.NOT_FOUND,
                () -> streamHttp.execute(request));
        int status = response.getStatusCode();
        if (status / 100 != 2) {
            String message = errorBody(response);
            response.close();
            throw new RuntimeFailure(status == 404 ? Kind.NOT_FOUND : Kind.UNAVAILABLE,
                    operation + ": " + status + " " + message);
        }
        return new DockerLogStream(response, containerId);
    }

    /** {@inheritDoc} One-shot stats ({@code stream=false&one-shot=true}): no wait for a second sample. */
    @Override
    public Optional<ContainerStats> stats(String containerId, Duration timeout) {
        String operation = "stats of container " + containerId;
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET)
                .path("/containers/" + containerId + "/stats?stream=false&one-shot=true").build();
        return pool.call(operation, timeout, Kind.UNAVAILABLE, Kind.UNAVAILABLE, () -> {
            try (DockerHttpClient.Response response = callHttp.execute(request)) {
                int status = response.getStatusCode();
                if (status == 404) {
                    return Optional.<ContainerStats>empty();
                }
                if (status / 100 != 2) {
                    throw new RuntimeFailure(Kind.UNAVAILABLE, operation + ": " + status + " " + errorBody(response));
                }
                JsonNode json = STATS_JSON.readTree(response.getBody());
                if (json == null || "0001-01-01T00:00:00Z".equals(json.path("read").asText())) {
                    return Optional.<ContainerStats>empty(); // not running
                }
                return Optional.of(DockerStats.from(json));
            }
        });
    }

    private static String errorBody(DockerHttpClient.Response response) {
        try {
            byte[] body = response.getBody().readNBytes(4096);
            JsonNode json = STATS_JSON.readTree(body);
            return json != null && json.hasNonNull("message") ? json.get("message").asText()
                    : new String(body, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "(no message)";
        }
    }

    @Override
    public void close() {
        pool.close();
        for (DockerHttpClient http : List.of(callHttp, streamHttp)) {
            try {
                http.close();
            } catch (IOException e) {
                log.debug("closing the Docker HTTP client", e);
            }
        }
    }

    private static DockerHttpClient httpClient(DockerClientConfig config, Duration responseTimeout) {
        ApacheDockerHttpClient.Builder builder = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(64)
                .connectionTimeout(CONNECT_TIMEOUT);
        if (responseTimeout != null) {
            builder.responseTimeout(responseTimeout);
        }
        return builder.build();
    }
}
