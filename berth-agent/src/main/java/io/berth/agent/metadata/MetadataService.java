package io.berth.agent.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.agent.Agent;
import io.berth.agent.AgentConfig;
import io.berth.agent.engine.ContainerRecord;
import io.berth.agent.engine.TaskEngine;
import io.berth.agent.engine.TaskRecord;
import io.berth.agent.engine.TaskSpec.ContainerPlan;
import io.berth.agent.logs.AwsCallException;
import io.berth.agent.logs.AwsJsonClient;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task metadata endpoint, version 4 (and 3), served by the agent to its containers.
 *
 * <p>It listens on the host's address on Docker's default bridge ({@code docker0}, e.g. 172.17.0.1),
 * which containers reach in bridge mode (their gateway) and in host mode (an address of the host);
 * the port is kept in the state directory so that containers keep a working URI across agent
 * restarts. Every container gets
 * {@code ECS_CONTAINER_METADATA_URI_V4=http://<address>:<port>/v4/<id>} (and
 * {@code ECS_CONTAINER_METADATA_URI} with {@code /v3/}), where the id ({@link MetadataIds}) is secret
 * to the container. Under it:
 *
 * <pre>
 *   GET {uri}                 the container          GET {uri}/stats        its Docker stats
 *   GET {uri}/task            the task and containers GET {uri}/task/stats   every container's stats
 *   GET {uri}/taskWithTags    the task with TaskTags and ContainerInstanceTags (ECS ListTagsForResource)
 * </pre>
 * Stats come from a {@link StatsSampler} (the latest sample, with the one before as precpu_stats).
 * Thread-safe.
 */
public final class MetadataService implements Agent.Services {
    private static final Logger log = LoggerFactory.getLogger(MetadataService.class);
    public static final String URI_V4 = "ECS_CONTAINER_METADATA_URI_V4";
    public static final String URI_V3 = "ECS_CONTAINER_METADATA_URI";
    private static final String ECS_TARGET = "AmazonEC2ContainerServiceV20141113";
    private static final Duration TAGS_TTL = Duration.ofMinutes(1);

    /**
     * @param bindAddress where to listen; null for the host's address on {@code bridgeInterface}
     * @param port the port to use when none is saved yet (0: any); a taken port falls back to any
     * @param statsInterval how often running containers' stats are sampled, and their use sent to the
     *     server (for the AWS/ECS CPUUtilization and MemoryUtilization metrics)
     */
    public record Settings(String bindAddress, String bridgeInterface, int port, Duration statsInterval) {
        public static Settings defaults() {
            return new Settings(null, BridgeAddress.DEFAULT_BRIDGE, 51680, Duration.ofSeconds(10));
        }

        public Settings withPort(int p) {
            return new Settings(bindAddress, bridgeInterface, p, statsInterval);
        }

        public Settings withStatsInterval(Duration d) {
            return new Settings(bindAddress, bridgeInterface, port, d);
        }
    }

    private record Located(TaskRecord task, ContainerRecord container) {
    }

    private record CachedTags(Map<String, String> task, Map<String, String> instance, Instant at) {
    }

    private final Settings settings;
    private final Map<String, CachedTags> tags = new ConcurrentHashMap<>();
    private volatile Map<String, String[]> index = Map.of();
    private volatile Map<String, TaskRecord> indexedFrom;
    private Supplier<Map<String, TaskRecord>> tasks;
    private MetadataIds ids;
    private MetadataResponses responses;
    private StatsSampler sampler;
    private UsageReporter usage;
    private AwsJsonClient ecs;
    private Agent.Context context;
    private Server server;
    private String base;

    public MetadataService(Settings settings) {
        this.settings = settings;
    }

    public static MetadataService withDefaults() {
        return new MetadataService(Settings.defaults());
    }

    /** {@code http://<address>:<port>}, once started; null when the endpoint could not start. */
    public String endpoint() {
        return base;
    }

    /** The stats sampler (for reporting task CPU and memory); null before start. */
    public StatsSampler sampler() {
        return sampler;
    }

    @Override
    public TaskEngine.Hooks start(Agent.Context context, Supplier<Map<String, TaskRecord>> taskRecords) {
        this.context = context;
        this.tasks = taskRecords;
        AgentConfig config = context.config();
        Path dir = config.stateDir().resolve("metadata");
        this.ids = MetadataIds.load(dir);
        String az = config.attributes().getOrDefault("ecs.availability-zone", config.region() + "a");
        this.responses = new MetadataResponses(context.runtime(), az);
        this.sampler = new StatsSampler(context.runtime(), taskRecords, settings.statsInterval()).start();
        this.usage = new UsageReporter(sampler, context.channel(), context.clock(), settings.statsInterval()).start();
        this.ecs = new AwsJsonClient(config.serverUrl(), config.region(), config.accessKeyId(),
                config.secretAccessKey(), "ecs", ECS_TARGET, context.clock());
        String host = settings.bindAddress() != null ? settings.bindAddress()
                : BridgeAddress.of(settings.bridgeInterface()).map(InetAddress::getHostAddress).orElse(null);
        if (host == null) {
            log.warn("no {} interface on this host: the task metadata endpoint is off (containers get no {})",
                    settings.bridgeInterface(), URI_V4);
            return TaskEngine.Hooks.NONE;
        }
        Path portFile = dir.resolve("port");
        int port = savedPort(portFile).orElse(settings.port());
        try {
            server = listen(host, port);
        } catch (Exception e) {
            log.info("port {} of {} is taken; the task metadata endpoint takes another", port, host);
            try {
                server = listen(host, 0);
            } catch (Exception again) {
                log.error("the task metadata endpoint cannot listen on {}: {}", host, again.toString());
                return TaskEngine.Hooks.NONE;
            }
        }
        int bound = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        savePort(portFile, bound);
        base = "http://" + host + ":" + bound;
        log.info("task metadata endpoint at {}/v4/...", base);
        return new TaskEngine.Hooks() {
            @Override
            public Map<String, String> environment(TaskRecord task, ContainerPlan container) {
                String id = ids.of(task.taskArn(), container.name());
                return Map.of(URI_V4, base + "/v4/" + id, URI_V3, base + "/v3/" + id);
            }
        };
    }

    private Server listen(String host, int port) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(16, 2);
        pool.setName("berth-metadata");
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server s = new Server(pool);
        ServerConnector connector = new ServerConnector(s, 1, 1);
        connector.setHost(host);
        connector.setPort(port);
        s.addConnector(connector);
        s.setHandler(new Handler.Abstract(Handler.Abstract.InvocationType.BLOCKING) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                serve(request, response, callback);
                return true;
            }
        });
        s.setStopTimeout(1_000);
        try {
            s.start();
        } catch (Exception e) {
            s.stop();
            throw e;
        }
        return s;
    }

    // ---- requests --------------------------------------------------------------------------------

    private void serve(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        String[] parts = path == null ? new String[0] : path.replaceAll("/+$", "").split("/");
        // "", "v4", id, rest...
        if (!"GET".equals(request.getMethod()) || parts.length < 3 || !(parts[1].equals("v4") || parts[1].equals("v3"))) {
            write(response, callback, 404, error("Not found: " + path));
            return;
        }
        Optional<Located> found = locate(parts[2]);
        if (found.isEmpty()) {
            write(response, callback, 404, error("Unable to find the container of the metadata id in the request"));
            return;
        }
        TaskRecord t = found.get().task();
        ContainerRecord c = found.get().container();
        String caller = Request.getRemoteAddr(request);
        String rest = String.join("/", Arrays.copyOfRange(parts, 3, parts.length));
        try {
            JsonNode body = switch (rest) {
                case "" -> responses.container(t, c, caller);
                case "task" -> responses.task(t, c.name(), caller, null, null);
                case "taskWithTags" -> {
                    CachedTags tg = tags(t);
                    yield responses.task(t, c.name(), caller, tg == null ? null : tg.task(),
                            tg == null ? null : tg.instance());
                }
                case "stats" -> containerStats(c);
                case "task/stats" -> {
                    ObjectNode all = MetadataResponses.JSON.createObjectNode();
                    for (ContainerRecord each : t.containers()) {
                        if (each.runtimeId() != null) {
                            all.set(each.runtimeId(), containerStats(each));
                        }
                    }
                    yield all;
                }
                default -> null;
            };
            if (body == null) {
                write(response, callback, 404, error("Not found: " + path));
                return;
            }
            write(response, callback, 200, body);
        } catch (RuntimeException e) {
            log.warn("task metadata request {} failed", path, e);
            write(response, callback, 500, error("Internal error"));
        }
    }

    private JsonNode containerStats(ContainerRecord c) {
        if (c.runtimeId() == null) {
            return MetadataResponses.JSON.nullNode();
        }
        return sampler.of(c.runtimeId())
                .<JsonNode>map(s -> StatsJson.of(s, c.hostName() == null ? c.name() : c.hostName(), c.runtimeId()))
                .orElse(MetadataResponses.JSON.nullNode());
    }

    /** The task and container of a metadata id, from the engine's current records. */
    private Optional<Located> locate(String id) {
        Map<String, TaskRecord> records = tasks.get();
        if (records != indexedFrom || !index.containsKey(id)) {
            Map<String, String[]> next = new HashMap<>();
            for (TaskRecord t : records.values()) {
                for (ContainerRecord c : t.containers()) {
                    next.put(ids.of(t.taskArn(), c.name()), new String[] {t.taskArn(), c.name()});
                }
            }
            index = next;
            indexedFrom = records;
        }
        String[] at = index.get(id);
        if (at == null) {
            return Optional.empty();
        }
        TaskRecord t = records.get(at[0]);
        return t == null ? Optional.empty() : t.container(at[1]).map(c -> new Located(t, c));
    }

    /** The task's and the instance's tags (ECS ListTagsForResource), cached a minute; null if unknown. */
    private CachedTags tags(TaskRecord t) {
        CachedTags cached = tags.get(t.taskArn());
        Instant now = context.clock().instant();
        if (cached != null && cached.at().plus(TAGS_TTL).isAfter(now)) {
            return cached;
        }
        try {
            CachedTags fresh = new CachedTags(listTags(t.taskArn()),
                    listTags(context.registered().containerInstanceArn()), now);
            tags.put(t.taskArn(), fresh);
            return fresh;
        } catch (AwsCallException e) {
            log.warn("cannot read the tags of task {}: {}", t.taskArn(), e.getMessage());
            return cached;
        }
    }

    private Map<String, String> listTags(String arn) {
        JsonNode out = ecs.call("ListTagsForResource", AwsJsonClient.object().put("resourceArn", arn),
                Duration.ofSeconds(5));
        Map<String, String> tagMap = new LinkedHashMap<>();
        out.path("tags").forEach(tag -> tagMap.put(tag.path("key").asText(), tag.path("value").asText()));
        return tagMap;
    }

    private static ObjectNode error(String message) {
        return MetadataResponses.JSON.createObjectNode().put("message", message);
    }

    private static void write(Response response, Callback callback, int status, JsonNode body) {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    private static Optional<Integer> savedPort(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(Integer.parseInt(Files.readString(file).strip()))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void savePort(Path file, int port) {
        try {
            Files.writeString(file, String.valueOf(port));
        } catch (IOException e) {
            log.warn("cannot save the metadata port in {}: {}", file, e.toString());
        }
    }

    @Override
    public void close() {
        if (usage != null) {
            usage.close();
        }
        if (sampler != null) {
            sampler.close();
        }
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                log.debug("stopping the metadata endpoint", e);
            }
        }
        if (ecs != null) {
            ecs.close();
        }
    }
}
