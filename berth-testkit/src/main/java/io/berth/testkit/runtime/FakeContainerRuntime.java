package io.berth.testkit.runtime;

import io.berth.core.runtime.ContainerEvent;
import io.berth.core.runtime.ContainerLogs;
import io.berth.core.runtime.ContainerStats;
import io.berth.core.runtime.LogLine;
import io.berth.core.runtime.ContainerRuntime;
import io.berth.core.runtime.ContainerSpec;
import io.berth.core.runtime.ContainerState;
import io.berth.core.runtime.ContainerState.PortBinding;
import io.berth.core.runtime.HostInfo;
import io.berth.core.runtime.TaskCgroups;
import io.berth.core.runtime.ImageInfo;
import io.berth.core.runtime.RegistryAuth;
import io.berth.core.runtime.RuntimeFailure;
import io.berth.core.runtime.RuntimeFailure.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The fake {@link ContainerRuntime}: an in-memory Docker Engine with images, containers, volumes and
 * an event stream, which a test can put into fault modes and drive by hand.
 *
 * <ul>
 *   <li>Images: {@link #addImage} puts one in the local cache, {@link #publishImage} in "the
 *       registry" (pullable), {@link #failPull} makes pulls of a reference fail with a message.
 *       References without tag mean {@code :latest}.</li>
 *   <li>Containers: {@link #failStart} makes matching containers fail to start,
 *       {@link #exitAfterStart} and {@link #healthyAfterStart} give them a life of their own,
 *       {@link #exit}, {@link #oomKill} and {@link #setHealth} act on one now,
 *       {@link #ignoreSigterm} makes stops wait out the grace (then SIGKILL: exit 137).</li>
 *   <li>The engine: {@link Mode#DOWN} (every call fails {@link Kind#UNAVAILABLE}, event streams
 *       break), {@link Mode#SLOW} (every call first waits {@link #slowness()}; a call whose timeout
 *       is shorter fails {@link Kind#TIMEOUT}), {@link #breakEventStreams()}.</li>
 *   <li>Output and resources: {@link #writeLog} (a line on stdout or stderr, read back with
 *       {@link #logs}), {@link #setStats}.</li>
 *   <li>Observation: {@link #calls()} (operation log), {@link #stops()}, {@link #spec},
 *       {@link #containers()}, {@link #volumes()}.</li>
 * </ul>
 *
 * <p>Thread-safe: one lock guards the state; events are delivered on each stream's own thread.
 */
public final class FakeContainerRuntime implements ContainerRuntime {

    /** Fault modes of the whole engine. */
    public enum Mode { NORMAL, DOWN, SLOW }

    /** A stop request as the engine received it. */
    public record Stop(String containerId, Duration grace) {
    }

    /** A named volume. */
    public record Volume(String name, String driver, Map<String, String> driverOptions, Map<String, String> labels) {
    }

    private record StartFailure(Predicate<ContainerSpec> which, String message) {
    }

    private record ExitRule(Predicate<ContainerSpec> which, int exitCode, Duration after) {
    }

    private record HealthRule(Predicate<ContainerSpec> which, Duration after) {
    }

    private static final int FIRST_EPHEMERAL_PORT = 32768;

    private final Object lock = new Object();
    private final InstantSource clock;
    private final Map<String, ImageInfo> localImages = new HashMap<>();
    private final Map<String, ImageInfo> registryImages = new HashMap<>();
    private final Map<String, String> pullFailures = new HashMap<>();
    private final Map<String, RegistryAuth> registryLogins = new HashMap<>();
    private final List<RegistryAuth> pullAuths = new CopyOnWriteArrayList<>();
    private final Map<String, FakeContainer> containers = new LinkedHashMap<>();
    private final Map<String, Volume> volumes = new LinkedHashMap<>();
    private final List<StartFailure> startFailures = new ArrayList<>();
    private final List<ExitRule> exitRules = new ArrayList<>();
    private final List<HealthRule> healthRules = new ArrayList<>();
    private final List<Predicate<ContainerSpec>> sigtermIgnorers = new ArrayList<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<Stop> stops = new CopyOnWriteArrayList<>();
    private final Set<FakeEventStream> streams = new CopyOnWriteArraySet<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-docker-timers");
        t.setDaemon(true);
        return t;
    });
    private volatile Mode mode = Mode.NORMAL;
    private volatile Duration slowness = Duration.ofMillis(200);
    private volatile HostInfo hostInfo =
            new HostInfo(4, 8L << 30, "linux", "x86_64", "27.5.1-fake", "1.47");
    private volatile TaskCgroups taskCgroups = TaskCgroups.unsupported("the fake engine has none unless given some");
    private int nextEphemeralPort = FIRST_EPHEMERAL_PORT;
    private long nextId = 1;

    public FakeContainerRuntime() {
        this(InstantSource.system());
    }

    public FakeContainerRuntime(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock);
    }

    // ---- setting up and driving the fake -------------------------------------------------------

    public Mode mode() {
        return mode;
    }

    /** Puts the engine in a fault mode; {@link Mode#DOWN} breaks every event stream. */
    public void setMode(Mode mode) {
        this.mode = Objects.requireNonNull(mode);
        if (mode == Mode.DOWN) {
            breakEventStreams();
        }
    }

    public Duration slowness() {
        return slowness;
    }

    /** How long every call waits in {@link Mode#SLOW}. */
    public void setSlowness(Duration slowness) {
        this.slowness = Objects.requireNonNull(slowness);
    }

    /** The task cgroups the engine offers ({@link FakeTaskCgroups}); by default none. */
    public void setTaskCgroups(TaskCgroups taskCgroups) {
        this.taskCgroups = Objects.requireNonNull(taskCgroups);
    }

    @Override
    public TaskCgroups taskCgroups(Duration timeout) {
        return taskCgroups;
    }

    public void setHostInfo(HostInfo hostInfo) {
        this.hostInfo = Objects.requireNonNull(hostInfo);
    }

    /** Puts {@code reference} in the local image cache. */
    public ImageInfo addImage(String reference) {
        synchronized (lock) {
            ImageInfo info = imageInfo(reference);
            localImages.put(normalise(reference), info);
            return info;
        }
    }

    /** Makes {@code reference} pullable; a later pull replaces the local copy. */
    public ImageInfo publishImage(String reference) {
        synchronized (lock) {
            String ref = normalise(reference);
            ImageInfo info = new ImageInfo(imageInfo(reference).id(),
                    List.of(repository(ref) + "@sha256:" + sha256("manifest " + ref)), 1024);
            registryImages.put(ref, info);
            return info;
        }
    }

    /** Makes pulls of {@code reference} fail with the engine message {@code message}. */
    public void failPull(String reference, String message) {
        synchronized (lock) {
            pullFailures.put(normalise(reference), message);
        }
    }

    /**
     * Makes the registry {@code host[:port]} refuse pulls unless they come with this user and
     * password ({@code unauthorized: authentication required}, or Docker's {@code no basic auth
     * credentials} without any).
     */
    public void requireLogin(String registry, String username, String password) {
        synchronized (lock) {
            registryLogins.put(registry, new RegistryAuth(registry, username, password));
        }
    }

    /** The credentials each pull came with, in order (null for an anonymous pull). */
    public List<RegistryAuth> pullAuths() {
        return pullAuths.stream().map(a -> a == NO_AUTH ? null : a).toList(); // toList allows nulls
    }

    private static final RegistryAuth NO_AUTH = new RegistryAuth("", "", "");

    /** Removes {@code reference} from the local cache. */
    public void removeImage(String reference) {
        synchronized (lock) {
            localImages.remove(normalise(reference));
        }
    }

    public boolean hasImage(String reference) {
        synchronized (lock) {
            return localImages.containsKey(normalise(reference));
        }
    }

    /** Containers matching {@code which} fail to start with the engine message {@code message}. */
    public void failStart(Predicate<ContainerSpec> which, String message) {
        synchronized (lock) {
            startFailures.add(new StartFailure(which, message));
        }
    }

    /** Containers whose command starts with {@code executable} fail to start as runc says. */
    public void failStartForCommand(String executable) {
        failStart(spec -> spec.command() != null && !spec.command().isEmpty()
                        && spec.command().get(0).equals(executable),
                "failed to create task for container: failed to create shim task: OCI runtime create failed: "
                        + "runc create failed: unable to start container process: exec: \"" + executable
                        + "\": executable file not found in $PATH: unknown");
    }

    /** Matching containers exit with {@code exitCode}, {@code after} they started. */
    public void exitAfterStart(Predicate<ContainerSpec> which, int exitCode, Duration after) {
        synchronized (lock) {
            exitRules.add(new ExitRule(which, exitCode, after));
        }
    }

    /** Matching containers with a health check turn healthy {@code after} they started. */
    public void healthyAfterStart(Predicate<ContainerSpec> which, Duration after) {
        synchronized (lock) {
            healthRules.add(new HealthRule(which, after));
        }
    }

    /** Matching containers ignore SIGTERM: a stop waits out its grace, then kills (exit 137). */
    public void ignoreSigterm(Predicate<ContainerSpec> which) {
        synchronized (lock) {
            sigtermIgnorers.add(which);
        }
    }

    /** The running container {@code idOrName} exits with {@code exitCode} now (a "die" event). */
    public void exit(String idOrName, int exitCode) {
        List<ContainerEvent> events = new ArrayList<>();
        synchronized (lock) {
            FakeContainer c = require(idOrName);
            if (c.running()) {
                exitNow(c, exitCode, events);
            }
        }
        publish(events);
    }

    /** The running container {@code idOrName} is killed by the OOM killer now ("oom", then "die"). */
    public void oomKill(String idOrName) {
        List<ContainerEvent> events = new ArrayList<>();
        synchronized (lock) {
            FakeContainer c = require(idOrName);
            if (c.running()) {
                c.oomKilled = true;
                events.add(event(c, "oom"));
                exitNow(c, 137, events);
            }
        }
        publish(events);
    }

    /** Sets the health of a running container: "healthy", "unhealthy" or "starting". */
    public void setHealth(String idOrName, String health) {
        List<ContainerEvent> events = new ArrayList<>();
        synchronized (lock) {
            FakeContainer c = require(idOrName);
            if (c.running() && !health.equals(c.health)) {
                c.health = health;
                events.add(event(c, "health_status: " + health));
            }
        }
        publish(events);
    }

    /** The container {@code idOrName} writes a line to stdout or stderr now (its engine timestamp: the clock's). */
    public void writeLog(String idOrName, boolean stderr, String text) {
        synchronized (lock) {
            FakeContainer c = require(idOrName);
            c.logs.add(new LogLine(clock.instant(), stderr, text, false));
            lock.notifyAll();
        }
    }

    /** What {@link #stats} answers for the running container {@code idOrName} from now on. */
    public void setStats(String idOrName, ContainerStats stats) {
        synchronized (lock) {
            require(idOrName).stats = stats;
        }
    }

    /** Breaks every open event stream (subscribers get their {@code onClose}). */
    public void breakEventStreams() {
        streams.forEach(FakeEventStream::breakStream);
    }

    /** How many event streams are open. */
    public int openEventStreams() {
        return streams.size();
    }

    // ---- observing ------------------------------------------------------------------------------

    /** Every call that reached the engine, in order: "pull ref", "create name", "start id", ... */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    public long count(String operation) {
        return calls.stream().filter(c -> c.startsWith(operation + " ")).count();
    }

    public List<Stop> stops() {
        return List.copyOf(stops);
    }

    /** The spec a container was created with. */
    public ContainerSpec spec(String idOrName) {
        synchronized (lock) {
            return require(idOrName).spec;
        }
    }

    public List<ContainerState> containers() {
        synchronized (lock) {
            return containers.values().stream().map(FakeContainer::state).toList();
        }
    }

    /** The container named {@code name} (on the host), if any. */
    public Optional<ContainerState> byName(String name) {
        synchronized (lock) {
            return containers.values().stream().filter(c -> c.spec.name().equals(name))
                    .map(FakeContainer::state).findFirst();
        }
    }

    /** Containers carrying all of {@code labels}, whatever the engine's mode. */
    public List<ContainerState> withLabels(Map<String, String> labels) {
        synchronized (lock) {
            return containers.values().stream()
                    .filter(c -> c.spec.labels().entrySet().containsAll(labels.entrySet()))
                    .map(FakeContainer::state).toList();
        }
    }

    public Map<String, Volume> volumes() {
        synchronized (lock) {
            return Map.copyOf(volumes);
        }
    }

    // ---- ContainerRuntime -----------------------------------------------------------------------

    @Override
    public HostInfo host(Duration timeout) {
        enter("info", timeout);
        return hostInfo;
    }

    @Override
    public Optional<ImageInfo> image(String reference, Duration timeout) {
        enter("inspect-image " + reference, timeout);
        synchronized (lock) {
            return Optional.ofNullable(localImages.get(normalise(reference)));
        }
    }

    @Override
    public ImageInfo pull(String reference, RegistryAuth auth, Duration timeout) {
        enter("pull " + reference, timeout);
        pullAuths.add(auth == null ? NO_AUTH : auth);
        synchronized (lock) {
            String ref = normalise(reference);
            int slash = reference.indexOf('/');
            RegistryAuth login = slash < 0 ? null : registryLogins.get(reference.substring(0, slash));
            if (login != null && auth == null) {
                throw new RuntimeFailure(Kind.IMAGE_PULL, "pull " + reference + ": Head \"http://"
                        + login.serverAddress() + "/v2/\": no basic auth credentials");
            }
            if (login != null && !(login.username().equals(auth.username())
                    && login.password().equals(auth.password()))) {
                throw new RuntimeFailure(Kind.IMAGE_PULL, "pull " + reference
                        + ": unauthorized: authentication required");
            }
            String failure = pullFailures.get(ref);
            if (failure != null) {
                throw new RuntimeFailure(Kind.IMAGE_PULL, "pull " + reference + ": " + failure);
            }
            ImageInfo info = registryImages.get(ref);
            if (info == null) {
                throw new RuntimeFailure(Kind.IMAGE_PULL, "pull " + reference + ": pull access denied for "
                        + repository(ref) + ", repository does not exist or may require 'docker login'");
            }
            localImages.put(ref, info);
            return info;
        }
    }

    @Override
    public void load(InputStream tar, Duration timeout) {
        enter("load", timeout);
        try {
            tar.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String create(ContainerSpec spec, Duration timeout) {
        enter("create " + spec.name(), timeout);
        synchronized (lock) {
            ImageInfo image = localImages.get(normalise(spec.image()));
            if (image == null) {
                throw new RuntimeFailure(Kind.IMAGE_NOT_FOUND,
                        "create container " + spec.name() + ": No such image: " + spec.image());
            }
            for (FakeContainer c : containers.values()) {
                if (c.spec.name().equals(spec.name())) {
                    throw new RuntimeFailure(Kind.CREATE, "create container " + spec.name()
                            + ": Conflict. The container name \"/" + spec.name() + "\" is already in use by "
                            + "container \"" + c.id + "\".");
                }
            }
            for (String from : spec.volumesFrom()) {
                String source = from.endsWith(":ro") || from.endsWith(":rw")
                        ? from.substring(0, from.length() - 3) : from;
                if (find(source) == null) {
                    throw new RuntimeFailure(Kind.CREATE, "create container " + spec.name()
                            + ": No such container: " + source);
                }
            }
            String id = sha256("container " + nextId++);
            containers.put(id, new FakeContainer(id, spec, image.id(), clock.instant()));
            return id;
        }
    }

    @Override
    public void start(String containerId, Duration timeout) {
        enter("start " + containerId, timeout);
        List<ContainerEvent> events = new ArrayList<>();
        synchronized (lock) {
            FakeContainer c = find(containerId);
            if (c == null) {
                throw new RuntimeFailure(Kind.NOT_FOUND, "start container " + containerId + ": No such container: "
                        + containerId);
            }
            if (c.running()) {
                return;
            }
            for (StartFailure f : startFailures) {
                if (f.which().test(c.spec)) {
                    c.error = f.message();
                    throw new RuntimeFailure(Kind.START, "start container " + containerId + ": " + f.message());
                }
            }
            List<PortBinding> bound = new ArrayList<>();
            for (PortBinding p : c.spec.ports()) {
                String hostIp = p.hostIp() == null || p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp();
                int hostPort = p.hostPort();
                if (hostPort == 0) {
                    hostPort = nextEphemeralPort++;
                } else if (portInUse(hostPort, p.protocol())) {
                    c.error = "driver failed programming external connectivity on endpoint " + c.spec.name()
                            + ": Bind for " + hostIp + ":" + hostPort + " failed: port is already allocated";
                    throw new RuntimeFailure(Kind.START, "start container " + containerId + ": " + c.error);
                }
                bound.add(new PortBinding(p.containerPort(), p.protocol() == null ? "tcp" : p.protocol(), hostIp,
                        hostPort));
            }
            for (String bind : c.spec.binds()) {
                String source = bind.substring(0, bind.indexOf(':'));
                if (!source.startsWith("/")) {
                    volumes.putIfAbsent(source, new Volume(source, "local", Map.of(), Map.of()));
                }
            }
            c.status = "running";
            c.error = null;
            c.exitCode = null;
            c.oomKilled = false;
            c.startedAt = clock.instant();
            c.finishedAt = null;
            c.ports = List.copyOf(bound);
            c.health = c.spec.healthCheck() == null ? "none" : "starting";
            int generation = ++c.generation;
            events.add(event(c, "start"));
            scheduleLife(c, generation);
        }
        publish(events);
    }

    @Override
    public void stop(String containerId, Duration grace, Duration timeout) {
        enter("stop " + containerId, timeout);
        boolean ignoresSigterm;
        synchronized (lock) {
            FakeContainer c = find(containerId);
            if (c == null) {
                throw new RuntimeFailure(Kind.NOT_FOUND, "stop container " + containerId + ": No such container: "
                        + containerId);
            }
            stops.add(new Stop(containerId, grace));
            if (!c.running()) {
                return;
            }
            ignoresSigterm = sigtermIgnorers.stream().anyMatch(p -> p.test(c.spec));
        }
        if (ignoresSigterm) {
            if (timeout.compareTo(grace) < 0) {
                sleep(timeout);
                throw new RuntimeFailure(Kind.TIMEOUT, "stop container " + containerId
                        + ": the Docker Engine did not answer in time");
            }
            sleep(grace);
        }
        List<ContainerEvent> events = new ArrayList<>();
        synchronized (lock) {
            FakeContainer c = find(containerId);
            if (c != null && c.running()) {
                exitNow(c, ignoresSigterm ? 137 : 143, events);
            }
        }
        publish(events);
    }

    @Override
    public void remove(String containerId, Duration timeout) {
        enter("remove " + containerId, timeout);
        List<ContainerEvent> events = new ArrayList<>();
        synchronized (lock) {
            FakeContainer c = find(containerId);
            if (c == null) {
                return;
            }
            if (c.running()) {
                exitNow(c, 137, events);
            }
            containers.remove(c.id);
            events.add(event(c, "destroy"));
        }
        publish(events);
    }

    @Override
    public Optional<ContainerState> inspect(String containerId, Duration timeout) {
        enter("inspect " + containerId, timeout);
        synchronized (lock) {
            FakeContainer c = find(containerId);
            return c == null ? Optional.empty() : Optional.of(c.state());
        }
    }

    @Override
    public List<ContainerState> list(Map<String, String> labels, Duration timeout) {
        enter("list " + labels, timeout);
        return withLabels(labels);
    }

    @Override
    public void createVolume(String name, String driver, Map<String, String> driverOptions, Map<String, String> labels,
                             Duration timeout) {
        enter("create-volume " + name, timeout);
        synchronized (lock) {
            volumes.putIfAbsent(name, new Volume(name, driver == null ? "local" : driver,
                    driverOptions == null ? Map.of() : Map.copyOf(driverOptions),
                    labels == null ? Map.of() : Map.copyOf(labels)));
        }
    }

    @Override
    public void removeVolume(String name, Duration timeout) {
        enter("remove-volume " + name, timeout);
        synchronized (lock) {
            for (FakeContainer c : containers.values()) {
                if (c.spec.binds().stream().anyMatch(b -> b.startsWith(name + ":"))) {
                    throw new RuntimeFailure(Kind.CREATE, "remove volume " + name
                            + ": remove " + name + ": volume is in use - [" + c.id + "]");
                }
            }
            volumes.remove(name);
        }
    }

    @Override
    public AutoCloseable events(Map<String, String> labels, Consumer<ContainerEvent> listener, Runnable onClose) {
        enter("events " + labels, Duration.ofSeconds(30));
        FakeEventStream[] self = new FakeEventStream[1];
        self[0] = new FakeEventStream(labels, listener, onClose, () -> streams.remove(self[0]));
        streams.add(self[0]);
        return self[0];
    }

    @Override
    public ContainerLogs logs(String containerId, Instant since, boolean follow, Duration timeout) {
        enter("logs " + containerId, timeout);
        synchronized (lock) {
            FakeContainer c = find(containerId);
            if (c == null) {
                throw new RuntimeFailure(Kind.NOT_FOUND, "logs of container " + containerId + ": No such container: "
                        + containerId);
            }
            return new FakeLogs(c, since, follow);
        }
    }

    @Override
    public Optional<ContainerStats> stats(String containerId, Duration timeout) {
        enter("stats " + containerId, timeout);
        synchronized (lock) {
            FakeContainer c = find(containerId);
            if (c == null || !c.running()) {
                return Optional.empty();
            }
            return Optional.of(c.stats != null ? c.stats : new ContainerStats(clock.instant(), 0, 0, 0, List.of(), 0,
                    hostInfo.cpus(), 0, 0, hostInfo.memoryBytes(), Map.of(), Map.of(), 1, List.of()));
        }
    }

    /** A reader of one container's log lines; follows until the container is not running. */
    private final class FakeLogs implements ContainerLogs {
        private final FakeContainer container;
        private final boolean follow;
        private int next;
        private boolean closed;

        FakeLogs(FakeContainer container, Instant since, boolean follow) {
            this.container = container;
            this.follow = follow;
            if (since != null) {
                while (next < container.logs.size() && container.logs.get(next).timestamp().isBefore(since)) {
                    next++;
                }
            }
        }

        @Override
        public LogLine next() {
            synchronized (lock) {
                while (true) {
                    if (closed) {
                        return null;
                    }
                    if (mode == Mode.DOWN) {
                        throw new RuntimeFailure(Kind.UNAVAILABLE, "logs: the Docker Engine went away (fault mode)");
                    }
                    if (next < container.logs.size()) {
                        return container.logs.get(next++);
                    }
                    if (!follow || !container.running() || !containers.containsKey(container.id)) {
                        return null;
                    }
                    try {
                        lock.wait(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return null;
                    }
                }
            }
        }

        @Override
        public void close() {
            synchronized (lock) {
                closed = true;
                lock.notifyAll();
            }
        }
    }

    @Override
    public void close() {
        streams.forEach(FakeEventStream::close);
        timers.shutdownNow();
    }

    // ---- internals ------------------------------------------------------------------------------

    /** Logs the call and applies the fault mode. */
    private void enter(String call, Duration timeout) {
        calls.add(call);
        switch (mode) {
            case NORMAL -> {
            }
            case DOWN -> throw new RuntimeFailure(Kind.UNAVAILABLE, call
                    + ": cannot reach the Docker Engine: Cannot connect to the Docker daemon (fault mode)");
            case SLOW -> {
                Duration delay = slowness;
                if (timeout.compareTo(delay) < 0) {
                    sleep(timeout);
                    throw new RuntimeFailure(Kind.TIMEOUT, call + ": the Docker Engine did not answer in time");
                }
                sleep(delay);
            }
        }
    }

    private boolean portInUse(int hostPort, String protocol) {
        String proto = protocol == null ? "tcp" : protocol;
        return containers.values().stream().filter(FakeContainer::running)
                .flatMap(c -> c.ports.stream())
                .anyMatch(p -> p.hostPort() == hostPort && p.protocol().equals(proto));
    }

    private void scheduleLife(FakeContainer c, int generation) {
        for (ExitRule rule : exitRules) {
            if (rule.which().test(c.spec)) {
                schedule(rule.after(), () -> {
                    List<ContainerEvent> events = new ArrayList<>();
                    synchronized (lock) {
                        if (c.running() && c.generation == generation && containers.containsKey(c.id)) {
                            exitNow(c, rule.exitCode(), events);
                        }
                    }
                    publish(events);
                });
                break;
            }
        }
        if (c.spec.healthCheck() == null) {
            return;
        }
        for (HealthRule rule : healthRules) {
            if (rule.which().test(c.spec)) {
                schedule(rule.after(), () -> {
                    List<ContainerEvent> events = new ArrayList<>();
                    synchronized (lock) {
                        if (c.running() && c.generation == generation && "starting".equals(c.health)) {
                            c.health = "healthy";
                            events.add(event(c, "health_status: healthy"));
                        }
                    }
                    publish(events);
                });
                break;
            }
        }
    }

    private void schedule(Duration after, Runnable action) {
        if (!timers.isShutdown()) {
            timers.schedule(action, Math.max(0, after.toNanos()), TimeUnit.NANOSECONDS);
        }
    }

    private void exitNow(FakeContainer c, int exitCode, List<ContainerEvent> events) {
        lock.notifyAll(); // log followers see the end
        c.status = "exited";
        c.exitCode = exitCode;
        c.finishedAt = clock.instant();
        c.generation++;
        events.add(event(c, "die"));
    }

    private ContainerEvent event(FakeContainer c, String action) {
        return new ContainerEvent(c.id, action, c.spec.labels(), clock.instant());
    }

    private void publish(List<ContainerEvent> events) {
        for (ContainerEvent e : events) {
            streams.forEach(s -> s.deliver(e));
        }
    }

    /** By id, id prefix (12+ characters) or name. Caller holds the lock. */
    private FakeContainer find(String idOrName) {
        FakeContainer c = containers.get(idOrName);
        if (c != null) {
            return c;
        }
        for (FakeContainer each : containers.values()) {
            if (each.spec.name().equals(idOrName) || (idOrName.length() >= 12 && each.id.startsWith(idOrName))) {
                return each;
            }
        }
        return null;
    }

    private FakeContainer require(String idOrName) {
        FakeContainer c = find(idOrName);
        if (c == null) {
            throw new IllegalArgumentException("no container " + idOrName);
        }
        return c;
    }

    private static ImageInfo imageInfo(String reference) {
        return new ImageInfo("sha256:" + sha256("image " + normalise(reference)), List.of(), 1024);
    }

    /** name → name:latest; name:tag and name@digest as they are. */
    static String normalise(String reference) {
        if (reference.contains("@")) {
            return reference;
        }
        int slash = reference.lastIndexOf('/');
        return reference.indexOf(':', slash + 1) >= 0 ? reference : reference + ":latest";
    }

    private static String repository(String normalisedReference) {
        int at = normalisedReference.indexOf('@');
        if (at >= 0) {
            return normalisedReference.substring(0, at);
        }
        return normalisedReference.substring(0, normalisedReference.lastIndexOf(':'));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure(Kind.TIMEOUT, "interrupted");
        }
    }
}
