package io.berth.agent;

import io.berth.agent.channel.Backoff;
import io.berth.agent.channel.ChannelException;
import io.berth.agent.channel.ServerChannel;
import io.berth.agent.engine.ContainerPhase;
import io.berth.agent.engine.EngineSnapshot;
import io.berth.agent.runtime.MeteredRuntime;
import io.berth.core.metrics.Metrics;
import io.berth.agent.engine.TaskEngine;
import io.berth.agent.engine.TaskRecord;
import io.berth.agent.engine.TaskSpec.ContainerPlan;
import io.berth.agent.registry.RegistryLogin;
import io.berth.agent.state.AgentState;
import io.berth.agent.state.StateDirectory;
import io.berth.core.agent.DesiredState;
import io.berth.core.agent.Registered;
import io.berth.core.agent.Registration;
import io.berth.core.runtime.ContainerRuntime;
import io.berth.core.runtime.HostInfo;
import io.berth.core.runtime.RuntimeFailure;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running host agent: registers the host as a container instance, then runs three loops.
 *
 * <pre>
 *   berth-agent thread:  register (state file's ARN and token) ─▶ desired-state long poll ─▶ engine.apply
 *   berth-engine thread: the {@link TaskEngine} (containers on the host)
 *   berth-agent-report:  engine snapshots ─▶ coalesced, acknowledged reports ({@link ReportLoop})
 * </pre>
 *
 * Images in Berth's registry are pulled with an ECR token the agent gets with its own access key
 * ({@link RegistryLogin}). Server calls that fail are retried with capped, jittered backoff; a 401
 * makes the agent register again (same ARN, same token, as after a restart). {@link #close()} stops
 * the loops; the containers keep running and the next agent adopts them. The runtime and the
 * channel stay the caller's to close.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    static final Duration DESIRED_WAIT = Duration.ofSeconds(20);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final long MIB = 1024L * 1024L;

    private final AgentConfig config;
    private final ContainerRuntime runtime;
    private final ServerChannel channel;
    private final InstantSource clock;
    private final StateDirectory stateDirectory;
    private final RandomGenerator engineRandom;
    private final Backoff mainBackoff;
    private final ReportLoop reportLoop;
    private final RegistryLogin registryLogin;
    private final Thread main;
    private final Thread reporter;
    private final CountDownLatch registeredLatch = new CountDownLatch(1);
    private final Object authLock = new Object();
    private volatile boolean closed;
    private volatile Registered registered;
    private volatile long authGeneration;
    private volatile TaskEngine engine;
    private volatile HostInfo host;
    private final List<Services> services;
    private final List<Services> startedServices = new CopyOnWriteArrayList<>();

    private final Metrics metrics;

    private Agent(AgentConfig config, ContainerRuntime runtime, ServerChannel channel, InstantSource clock,
                  RandomGenerator random, List<Services> services, Metrics metrics) {
        this.services = List.copyOf(services);
        this.metrics = Objects.requireNonNull(metrics);
        this.config = Objects.requireNonNull(config);
        this.runtime = new MeteredRuntime(Objects.requireNonNull(runtime), metrics);
        this.channel = Objects.requireNonNull(channel);
        this.clock = Objects.requireNonNull(clock);
        this.stateDirectory = StateDirectory.open(config.stateDir());
        // One generator per thread, derived from the caller's (seeded) one.
        this.engineRandom = new SplittableRandom(random.nextLong());
        this.mainBackoff = new Backoff(config.retryBase(), config.retryCap(), new SplittableRandom(random.nextLong()));
        Backoff reportBackoff = new Backoff(config.retryBase(), config.retryCap(),
                new SplittableRandom(random.nextLong()));
        this.reportLoop = new ReportLoop(channel, this::snapshot, new ReportLoop.Auth() {
            @Override
            public long generation() {
                return authGeneration;
            }

            @Override
            public void reauthenticate(long failedGeneration) {
                Agent.this.reauthenticate(failedGeneration);
            }
        }, config.reportInterval(), config.heartbeatInterval(), ReportLoop.SETTLE, clock, reportBackoff, metrics);
        this.registryLogin = RegistryLogin.ecr(config.serverUrl(), config.region(), config.accessKeyId(),
                config.secretAccessKey(), clock);
        for (ContainerPhase phase : ContainerPhase.values()) {
            metrics.gauge("berth.agent.containers", () -> containersIn(phase), "phase",
                    phase.name().toLowerCase(Locale.ROOT));
        }
        this.main = new Thread(this::runMain, "berth-agent");
        this.reporter = new Thread(reportLoop, "berth-agent-report");
        main.setDaemon(true);
        reporter.setDaemon(true);
    }

    /**
     * Starts the agent; returns at once (registration happens in the background, retried until it
     * succeeds: see {@link #awaitRegistered}).
     *
     * @param random seeds the agent's randomness (backoff jitter, container name suffixes)
     */
    public static Agent start(AgentConfig config, ContainerRuntime runtime, ServerChannel channel,
                              InstantSource clock, RandomGenerator random) {
        return start(config, runtime, channel, clock, random, List.of());
    }

    /**
     * As {@link #start(AgentConfig, ContainerRuntime, ServerChannel, InstantSource, RandomGenerator)},
     * with host services (log shipping, the task metadata endpoint) started once the host is
     * registered, before the engine, and closed with the agent.
     */
    public static Agent start(AgentConfig config, ContainerRuntime runtime, ServerChannel channel,
                              InstantSource clock, RandomGenerator random, List<Services> services) {
        return start(config, runtime, channel, clock, random, services, Metrics.NONE);
    }

    /**
     * As above, with the agent's meters in {@code metrics}: {@code berth.agent.containers} (gauge by
     * phase), {@code berth.agent.pulls} (timer), {@code berth.agent.report} (report round trips) and
     * the host services' own (log shipping backlog).
     */
    public static Agent start(AgentConfig config, ContainerRuntime runtime, ServerChannel channel,
                              InstantSource clock, RandomGenerator random, List<Services> services,
                              Metrics metrics) {
        Agent agent = new Agent(config, runtime, channel, clock, random, services, metrics);
        agent.main.start();
        return agent;
    }

    /**
     * A service of the host that lives beside the task engine: it sees the engine's tasks and adds to
     * their containers through {@link TaskEngine.Hooks}.
     */
    public interface Services extends AutoCloseable {
        /**
         * Starts the service once the host is registered, before the engine starts.
         *
         * @param tasks the engine's task records as of its last loop iteration (empty until it runs)
         * @return what the engine must call
         */
        TaskEngine.Hooks start(Context context, Supplier<Map<String, TaskRecord>> tasks);

        /** Stops the service (the containers keep running; a new agent picks up where it left). */
        @Override
        void close();
    }

    /**
     * What a host service knows of the agent; {@code metrics} is where it records its meters, and
     * {@code channel} the agent's channel to the server (for usage reports).
     */
    public record Context(AgentConfig config, Registered registered, HostInfo host, ContainerRuntime runtime,
                          InstantSource clock, Metrics metrics, ServerChannel channel) {
        public Context(AgentConfig config, Registered registered, HostInfo host, ContainerRuntime runtime,
                       InstantSource clock) {
            this(config, registered, host, runtime, clock, Metrics.NONE, new ServerChannel() {
                @Override
                public Registered register(Registration registration, Duration timeout) {
                    throw new ChannelException(ChannelException.Kind.UNAVAILABLE, 0, "no channel", null);
                }

                @Override
                public Optional<DesiredState> desired(long afterVersion, Duration wait, Duration timeout) {
                    return Optional.empty();
                }

                @Override
                public io.berth.core.agent.ReportAck report(io.berth.core.agent.AgentReport report,
                                                            Duration timeout) {
                    throw new ChannelException(ChannelException.Kind.UNAVAILABLE, 0, "no channel", null);
                }
            });
        }
    }

    /** This host's registration, once the server answered. */
    public Optional<Registered> registered() {
        return Optional.ofNullable(registered);
    }

    /** Waits until the host is registered; false if {@code timeout} passed first. */
    public boolean awaitRegistered(Duration timeout) throws InterruptedException {
        return registeredLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What the engine would report now (empty before registration). */
    public EngineSnapshot snapshot() {
        TaskEngine e = engine;
        return e == null ? EngineSnapshot.EMPTY : e.snapshot();
    }

    /** How many of the engine's containers are in {@code phase} now. */
    private int containersIn(ContainerPhase phase) {
        TaskEngine e = engine;
        if (e == null) {
            return 0;
        }
        int n = 0;
        for (TaskRecord t : e.records().values()) {
            for (var c : t.containers()) {
                if (c.phase() == phase) {
                    n++;
                }
            }
        }
        return n;
    }

    TaskEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        closed = true;
        reportLoop.close();
        main.interrupt();
        reporter.interrupt();
        join(main);
        join(reporter);
        TaskEngine e = engine;
        if (e != null) {
            e.close();
        }
        registryLogin.close();
        for (Services s : startedServices) {
            try {
                s.close();
            } catch (RuntimeException ex) {
                log.warn("closing host service {} failed", s, ex);
            }
        }
        log.info("agent stopped; its containers keep running");
    }

    // ---- the main thread ------------------------------------------------------------------------

    private void runMain() {
        try {
            host = retry("read the container engine's host info", () -> runtime.host(CALL_TIMEOUT));
            Registered first = registerUntilDone();
            if (first == null) {
                return;
            }
            TaskEngine.Hooks hooks = startServices(first);
            engine = TaskEngine.start(config.engineSettings(), runtime, first.containerInstanceArn(), clock,
                    engineRandom, reportLoop::wake, hooks, registryLogin);
            reporter.start();
            pollDesiredState();
        } catch (InterruptedException e) {
            // closed
        } catch (RuntimeException e) {
            log.error("the agent's main loop failed", e);
        }
    }

    /** Starts the host services; one that fails to start is left out (logged), the agent goes on. */
    private TaskEngine.Hooks startServices(Registered registered) {
        Context context = new Context(config, registered, host, runtime, clock, metrics, channel);
        Supplier<Map<String, TaskRecord>> tasks = () -> {
            TaskEngine e = engine;
            return e == null ? Map.of() : e.records();
        };
        List<TaskEngine.Hooks> hooks = new ArrayList<>();
        for (Services s : services) {
            try {
                hooks.add(s.start(context, tasks));
                startedServices.add(s);
            } catch (RuntimeException e) {
                log.error("host service {} did not start; the agent runs without it", s, e);
            }
        }
        return new CombinedHooks(List.copyOf(hooks));
    }

    /** Every service's hooks: environments merged, the first refusal to start wins. */
    private record CombinedHooks(List<TaskEngine.Hooks> all) implements TaskEngine.Hooks {
        @Override
        public Map<String, String> environment(TaskRecord task,
                                               ContainerPlan container) {
            Map<String, String> env = new LinkedHashMap<>();
            all.forEach(h -> env.putAll(h.environment(task, container)));
            return env;
        }

        @Override
        public String beforeStart(TaskRecord task,
                                  ContainerPlan container, String runtimeId) {
            for (TaskEngine.Hooks h : all) {
                String refusal = h.beforeStart(task, container, runtimeId);
                if (refusal != null) {
                    return refusal;
                }
            }
            return null;
        }

        @Override
        public void beforeRemove(String taskArn, List<String> runtimeIds) {
            all.forEach(h -> h.beforeRemove(taskArn, runtimeIds));
        }
    }

    private void pollDesiredState() throws InterruptedException {
        long after = -1; // the first poll answers at once with the whole current state
        int failures = 0;
        while (!closed) {
            long generation = authGeneration;
            try {
                Optional<DesiredState> state = channel.desired(after, DESIRED_WAIT, DESIRED_WAIT.plus(CALL_TIMEOUT));
                failures = 0;
                if (state.isPresent()) {
                    engine.apply(state.get());
                    after = state.get().version();
                }
            } catch (ChannelException e) {
                if (closed) {
                    return;
                }
                if (e.kind() == ChannelException.Kind.UNAUTHORIZED) {
                    reauthenticate(generation);
                } else {
                    Duration delay = mainBackoff.delay(++failures);
                    log.warn("desired state: {} (retrying in {} ms)", e.getMessage(), delay.toMillis());
                    Thread.sleep(delay);
                }
            }
        }
    }

    private Registered registerUntilDone() throws InterruptedException {
        int failures = 0;
        while (!closed) {
            Registration registration = registration();
            try {
                Registered r = channel.register(registration, CALL_TIMEOUT);
                onRegistered(r);
                log.info("registered as {} ({}) in cluster {}", r.containerInstanceArn(), r.ec2InstanceId(),
                        config.cluster());
                return r;
            } catch (ChannelException e) {
                if (closed) {
                    break;
                }
                Duration delay = mainBackoff.delay(++failures);
                log.warn("registration: {} (retrying in {} ms)", e.getMessage(), delay.toMillis());
                Thread.sleep(delay);
            }
        }
        return null;
    }

    /** After a 401: registers again with the same ARN and token, unless another loop just did. */
    private void reauthenticate(long failedGeneration) {
        synchronized (authLock) {
            if (authGeneration != failedGeneration || closed) {
                return;
            }
            log.info("the server refused the agent's token; registering again");
            try {
                Registered before = registered;
                Registered after = registerUntilDone();
                if (after != null && before != null
                        && !after.containerInstanceArn().equals(before.containerInstanceArn())) {
                    log.error("the server registered this host as a new container instance {} (was {}); the tasks "
                            + "of the old one are not moved: restart the agent", after.containerInstanceArn(),
                            before.containerInstanceArn());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void onRegistered(Registered r) {
        stateDirectory.save(new AgentState(config.cluster(), r.containerInstanceArn(), r.ec2InstanceId(), r.token()));
        registered = r;
        authGeneration++;
        registeredLatch.countDown();
    }

    /** What this host offers, with the ARN and token it had before (if it was in the same cluster). */
    Registration registration() {
        Optional<AgentState> saved = stateDirectory.load().filter(s -> s.cluster().equals(config.cluster()));
        Registered current = registered;
        String arn = current != null ? current.containerInstanceArn()
                : saved.map(AgentState::containerInstanceArn).orElse(null);
        String token = current != null ? current.token() : saved.map(AgentState::token).orElse(null);
        return registration(config, host, arn, token);
    }

    static Registration registration(AgentConfig config, HostInfo host, String arn, String token) {
        int cpu = config.cpuUnits() != null ? config.cpuUnits() : host.cpus() * 1024;
        int memory = (int) Math.max(0, host.memoryBytes() / MIB - config.memoryReserveMib());
        TreeSet<Integer> reserved = new TreeSet<>(config.reservedPorts());
        if (isLocal(config.serverUrl(), config.hostAddress())) {
            reserved.add(port(config.serverUrl()));
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("ecs.os-type", host.osType() == null || host.osType().isBlank() ? "linux" : host.osType());
        attributes.put("ecs.cpu-architecture", architecture(host.architecture()));
        attributes.put("ecs.availability-zone", config.region() + "a");
        attributes.put("ecs.instance-type", "berth.local");
        attributes.putAll(config.attributes());
        return new Registration(config.cluster(), arn, token, config.hostAddress(), cpu, memory,
                List.copyOf(reserved), attributes, version(), host.engineVersion(), false);
    }

    /** The engine's architecture in ECS's words: x86_64 or arm64. */
    static String architecture(String engineArchitecture) {
        String a = engineArchitecture == null ? "" : engineArchitecture.toLowerCase(Locale.ROOT);
        return switch (a) {
            case "x86_64", "amd64", "x64" -> "x86_64";
            case "aarch64", "arm64", "arm64/v8", "armv8" -> "arm64";
            default -> a.isEmpty() ? "x86_64" : a;
        };
    }

    private static boolean isLocal(URI server, String hostAddress) {
        String h = server.getHost();
        if (h == null) {
            return false;
        }
        h = h.replace("[", "").replace("]", "").toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("0.0.0.0")
                || h.equals(hostAddress);
    }

    private static int port(URI server) {
        if (server.getPort() != -1) {
            return server.getPort();
        }
        return "https".equalsIgnoreCase(server.getScheme()) ? 443 : 80;
    }

    static String version() {
        String v = Agent.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    private <T> T retry(String what, Supplier<T> call) throws InterruptedException {
        int failures = 0;
        while (true) {
            try {
                return call.get();
            } catch (RuntimeFailure e) {
                if (closed) {
                    throw new InterruptedException("closed");
                }
                Duration delay = mainBackoff.delay(++failures);
                log.warn("cannot {}: {} (retrying in {} ms)", what, e.getMessage(), delay.toMillis());
                Thread.sleep(delay);
            }
        }
    }

    private static void join(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
