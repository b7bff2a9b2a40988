package io.berth.agent.logs;

import io.berth.agent.Agent;
import io.berth.agent.AgentConfig;
import io.berth.agent.engine.ContainerRecord;
import io.berth.agent.engine.TaskEngine;
import io.berth.agent.engine.TaskRecord;
import io.berth.agent.engine.TaskSpec.ContainerPlan;
import io.berth.core.runtime.ContainerRuntime;
import io.berth.core.runtime.RuntimeFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's {@code awslogs} driver: ships the output of containers whose task definition says
 * {@code "logDriver": "awslogs"} to Berth's CloudWatch Logs API, signed with the agent's key. The
 * containers themselves log with Docker's default json-file driver; the agent reads them.
 *
 * <ul>
 *   <li>Before such a container starts, its log stream is created (and its group, with
 *       awslogs-create-group); if the group does not exist the container fails to start with the
 *       error the ECS agent gives. If the server cannot be reached, the container starts anyway and
 *       its output waits on disk.</li>
 *   <li>Every container that has started gets a {@link ContainerShipper} (found through the engine's
 *       records, so containers adopted after an agent restart are shipped too); its spool in
 *       {@code <state dir>/logs/} keeps what is not acknowledged yet.</li>
 *   <li>Before the engine removes a stopped task's containers, their output is read to the end.</li>
 * </ul>
 * Thread-safe.
 */
public final class LogShipping implements Agent.Services {
    private static final Logger log = LoggerFactory.getLogger(LogShipping.class);
    static final String TARGET_PREFIX = "Logs_20140328";
    private static final Duration ENSURE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /** The disk a container's unacknowledged output may take while the server is away. */
    static final long MAX_SPOOL_BYTES = 256L << 20;

    private final Duration flushInterval;
    private final Duration scanInterval;
    private final Map<String, ContainerShipper> shippers = new ConcurrentHashMap<>();
    private final Map<String, AwsJsonClient> clients = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private Path root;
    private String producer;
    private AgentConfig config;
    private ContainerRuntime runtime;
    private InstantSource clock;
    private Supplier<Map<String, TaskRecord>> tasks;
    private Thread scanner;

    /**
     * @param flushInterval how long events wait before they are sealed and sent (Docker's awslogs
     *     driver: 5 s; Berth ships sooner)
     */
    public LogShipping(Duration flushInterval) {
        this(flushInterval, Duration.ofMillis(500));
    }

    LogShipping(Duration flushInterval, Duration scanInterval) {
        this.flushInterval = flushInterval;
        this.scanInterval = scanInterval;
    }

    /** Shipping with a one-second flush interval. */
    public static LogShipping withDefaults() {
        return new LogShipping(Duration.ofSeconds(1));
    }

    @Override
    public TaskEngine.Hooks start(Agent.Context context, Supplier<Map<String, TaskRecord>> taskRecords) {
        context.metrics().gauge("berth.agent.logs.backlog.bytes", this::backlogBytes);
        this.config = context.config();
        this.runtime = context.runtime();
        this.clock = context.clock();
        this.tasks = taskRecords;
        this.root = config.stateDir().resolve("logs");
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + root, e);
        }
        this.producer = producerId(root);
        resumeSpools();
        scanner = Thread.ofVirtual().name("berth-logs-scan").start(this::scan);
        log.info("shipping awslogs container output to {} (buffer {})", config.serverUrl(), root);
        return new Hooks();
    }

    /** The shipper of a container, if it has one (for tests and diagnostics). */
    Optional<ContainerShipper> shipper(String containerId) {
        return Optional.ofNullable(shippers.get(containerId));
    }

    // ---- engine hooks ----------------------------------------------------------------------------

    private final class Hooks implements TaskEngine.Hooks {
        @Override
        public String beforeStart(TaskRecord task, ContainerPlan container, String runtimeId) {
            Optional<AwsLogsOptions> options = AwsLogsOptions.of(task.desired(), container.name());
            if (options.isEmpty() || closed) {
                return null;
            }
            ContainerShipper shipper = shipperFor(task.taskArn(), container.name(), runtimeId, options.get());
            if (shipper == null) {
                return null;
            }
            try {
                shipper.ensureStream(ENSURE_TIMEOUT);
                return null;
            } catch (AwsCallException e) {
                if ("ResourceNotFoundException".equals(e.type())) {
                    shippers.remove(runtimeId);
                    shipper.close();
                    shipper.spool().delete();
                    return "failed to initialize logging driver: failed to create Cloudwatch log stream: "
                            + "ResourceNotFoundException: The specified log group does not exist.";
                }
                log.warn("cannot create the log stream of container {} of task {} now ({}); its output waits on "
                        + "disk", container.name(), task.taskArn(), e.getMessage());
                return null;
            }
        }

        @Override
        public void beforeRemove(String taskArn, List<String> runtimeIds) {
            discover();
            for (String id : runtimeIds) {
                ContainerShipper shipper = shippers.get(id);
                if (shipper == null || !ranEver(id)) {
                    continue; // a container that never ran wrote nothing; its reader ends with its removal
                }
                try {
                    if (!shipper.awaitRead(DRAIN_TIMEOUT)) {
                        log.warn("the output of container {} was not read to its end before its removal", id);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private boolean ranEver(String runtimeId) {
        try {
            return runtime.inspect(runtimeId, Duration.ofSeconds(10)).map(c -> c.startedAt() != null).orElse(false);
        } catch (RuntimeFailure f) {
            return true; // cannot tell: wait for the reader
        }
    }

    // ---- finding containers ------------------------------------------------------------------------

    private void scan() {
        long passes = 0;
        while (!closed) {
            try {
                discover();
                if (++passes % 120 == 0) {
                    forgetRemoved();
                }
            } catch (RuntimeException e) {
                log.warn("log shipping scan failed", e);
            }
            try {
                Thread.sleep(scanInterval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Gives every started awslogs container of the engine's tasks a shipper. */
    void discover() {
        for (TaskRecord t : tasks.get().values()) {
            if (t.desired() == null) {
                continue;
            }
            for (ContainerRecord c : t.containers()) {
                if (c.runtimeId() == null || !c.everStarted() || shippers.containsKey(c.runtimeId())) {
                    continue;
                }
                AwsLogsOptions.of(t.desired(), c.name())
                        .ifPresent(o -> shipperFor(t.taskArn(), c.name(), c.runtimeId(), o));
            }
        }
    }

    private synchronized ContainerShipper shipperFor(String taskArn, String containerName, String runtimeId,
                                                     AwsLogsOptions options) {
        ContainerShipper existing = shippers.get(runtimeId);
        if (existing != null || closed) {
            return existing;
        }
        Path dir = root.resolve(runtimeId);
        Spool spool = Spool.open(dir).orElseGet(() -> Spool.create(dir, new Spool.Meta(runtimeId, taskArn,
                containerName, options.group(), options.streamName(taskArn, containerName, runtimeId),
                options.region() == null ? config.region() : options.region(), options.createGroup(),
                options.eventStart() == null ? null : options.eventStart().pattern(),
                producer + "-" + runtimeId.substring(0, Math.min(12, runtimeId.length())), 1, null, false, false)));
        ContainerShipper shipper = new ContainerShipper(spool, runtime, this::client, options.eventStart(),
                settings()).start();
        shippers.put(runtimeId, shipper);
        return shipper;
    }

    /** Bytes spooled on disk and not yet accepted by CloudWatch Logs, over every container. */
    private long backlogBytes() {
        long total = 0;
        for (ContainerShipper s : shippers.values()) {
            total += s.spool().pendingBytes();
        }
        return total;
    }

    /** Picks up the spools a previous agent left. */
    private void resumeSpools() {
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                Spool.open(dir).ifPresent(spool -> {
                    if (spool.meta().shipped()) {
                        shippers.put(spool.meta().containerId(), new ContainerShipper(spool, runtime, this::client,
                                null, settings()).start());
                        return;
                    }
                    String start = spool.meta().eventStart();
                    ContainerShipper shipper = new ContainerShipper(spool, runtime, this::client,
                            start == null ? null : Pattern.compile(start), settings()).start();
                    shippers.put(spool.meta().containerId(), shipper);
                    log.info("resuming the log shipping of container {} to {}/{}", spool.meta().containerId(),
                            spool.meta().group(), spool.meta().stream());
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops the markers of shipped containers that no longer exist. */
    private void forgetRemoved() {
        Set<String> known = tasks.get().values().stream().flatMap(t -> t.containers().stream())
                .map(ContainerRecord::runtimeId).filter(Objects::nonNull).collect(Collectors.toSet());
        for (ContainerShipper s : List.copyOf(shippers.values())) {
            if (!s.isShipped() || known.contains(s.containerId())) {
                continue;
            }
            try {
                if (runtime.inspect(s.containerId(), Duration.ofSeconds(10)).isEmpty()) {
                    shippers.remove(s.containerId());
                    s.spool().delete();
                }
            } catch (RuntimeFailure f) {
                return; // the engine is not answering: try later
            }
        }
    }

    private ContainerShipper.Settings settings() {
        return new ContainerShipper.Settings(flushInterval, config.retryBase(), config.retryCap(), clock,
                MAX_SPOOL_BYTES);
    }

    private AwsJsonClient client(String region) {
        String r = region == null ? config.region() : region;
        return clients.computeIfAbsent(r, k -> new AwsJsonClient(config.serverUrl(), k, config.accessKeyId(),
                config.secretAccessKey(), "logs", TARGET_PREFIX, clock));
    }

    /** This agent installation's producer id (persisted: batches are numbered per producer). */
    private static String producerId(Path root) {
        Path file = root.resolve("producer");
        try {
            if (Files.isRegularFile(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (id.matches("[0-9a-f]{16}")) {
                    return id;
                }
            }
            byte[] bytes = new byte[8];
            new SecureRandom().nextBytes(bytes);
            String id = HexFormat.of().formatHex(bytes);
            Spool.writeAtomically(file, id.getBytes(StandardCharsets.UTF_8));
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        if (scanner != null) {
            scanner.interrupt();
        }
        shippers.values().forEach(ContainerShipper::close);
        clients.values().forEach(AwsJsonClient::close);
    }
}
