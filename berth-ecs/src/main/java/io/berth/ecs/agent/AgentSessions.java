package io.berth.ecs.agent;

import io.berth.core.agent.AgentReport;
import io.berth.core.agent.DesiredState;
import io.berth.core.agent.DesiredTask;
import io.berth.core.agent.Registered;
import io.berth.core.agent.Registration;
import io.berth.core.agent.ReportAck;
import io.berth.core.agent.TaskReport;
import io.berth.core.arn.Arn;
import io.berth.core.error.BerthException;
import io.berth.core.instance.ContainerInstance;
import io.berth.core.store.Change;
import io.berth.core.store.ConflictException;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.Versioned;
import io.berth.core.task.Task;
import io.berth.core.task.TaskReports;
import io.berth.ecs.EcsJson;
import io.berth.ecs.instance.ContainerInstances;
import io.berth.ecs.task.Tasks;
import io.berth.ecs.taskdef.TaskDefinition;
import io.berth.ecs.taskdef.TaskDefinitionJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server side of the agent channel (see {@code io.berth.core.agent}): registration, the
 * versioned desired state of each instance with long polls woken by the store's change feed, and
 * level-triggered reports applied with optimistic concurrency. Thread-safe.
 */
public final class AgentSessions implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The last report sequence applied per instance (key: cluster/id). */
    public static final String SEQUENCE_KIND = "ecs-agent-report-sequence";

    private final StateStore store;
    private final ContainerInstances instances;
    private final Tasks tasks;
    private final InstantSource clock;
    private final Map<String, Object> monitors = new ConcurrentHashMap<>();
    private final Map<String, String> definitionJson = new ConcurrentHashMap<>();
    private final AutoCloseable subscription;
    private volatile boolean closed;

    private final io.berth.core.metrics.Metrics metrics;
    private final io.berth.ecs.metrics.UsagePublisher usage;
    private final java.util.concurrent.atomic.AtomicInteger polling = new java.util.concurrent.atomic.AtomicInteger();

    public AgentSessions(StateStore store, ContainerInstances instances, Tasks tasks, InstantSource clock) {
        this(store, instances, tasks, clock, io.berth.core.metrics.Metrics.NONE);
    }

    /**
     * As above, with the channel's meters in {@code metrics}: the gauge {@code berth.agent.channel.polls}
     * (agents waiting in a desired-state long poll now: the connected agents) and the counters
     * {@code berth.agent.channel.registrations} and {@code berth.agent.channel.reports}.
     */
    public AgentSessions(StateStore store, ContainerInstances instances, Tasks tasks, InstantSource clock,
                         io.berth.core.metrics.Metrics metrics) {
        this(store, instances, tasks, clock, metrics, io.berth.core.monitoring.MetricSink.NONE);
    }

    /** As above, publishing the agents' usage reports as {@code AWS/ECS} metrics into {@code sink}. */
    public AgentSessions(StateStore store, ContainerInstances instances, Tasks tasks, InstantSource clock,
                         io.berth.core.metrics.Metrics metrics, io.berth.core.monitoring.MetricSink sink) {
        this.usage = new io.berth.ecs.metrics.UsagePublisher(tasks, instances, sink, clock);
        this.metrics = metrics;
        metrics.gauge("berth.agent.channel.polls", polling::get);
        this.store = store;
        this.instances = instances;
        this.tasks = tasks;
        this.clock = clock;
        this.subscription = store.subscribe(store.lastSequence(), this::onChange);
    }

    private void onChange(Change change) {
        if (ContainerInstances.KIND.equals(change.kind())) {
            Object monitor = monitors.get(change.key());
            if (monitor != null) {
                synchronized (monitor) {
                    monitor.notifyAll();
                }
            }
        }
    }

    /** Registers a new instance, or re-registers the one the agent had (same ARN and valid token). */
    public Registered register(Registration r) {
        metrics.count("berth.agent.channel.registrations", 1);
        Instant now = clock.instant();
        if (r.containerInstanceArn() != null && r.token() != null) {
            Optional<ContainerInstance> known = instances.authenticate(r.token())
                    .filter(i -> instances.arn(i).equals(r.containerInstanceArn()));
            if (known.isPresent()) {
                ContainerInstance i = known.get();
                instances.presence().seen(i.key());
                return new Registered(instances.arn(i), i.ec2InstanceId(), r.token());
            }
        }
        String cluster = r.cluster() == null || r.cluster().isEmpty() ? "default" : r.cluster();
        if (r.cpuUnits() <= 0 || r.memoryMib() <= 0) {
            throw BerthException.invalidParameter("An instance must offer CPU and memory.");
        }
        String id = ContainerInstances.newId();
        String token = ContainerInstances.newToken(cluster, id);
        List<ContainerInstance.Attribute> attributes = new ArrayList<>();
        r.attributes().forEach((k, v) -> attributes.add(new ContainerInstance.Attribute(k, v)));
        ContainerInstance instance = new ContainerInstance(cluster, id, ContainerInstances.newEc2InstanceId(), "ACTIVE",
                ContainerInstances.hash(token), r.hostAddress(), r.cpuUnits(), r.memoryMib(), r.reservedPorts(),
                List.of(), attributes, r.agentVersion(), r.dockerVersion(), r.simulated(), now, 1, 0, 1);
        instances.create(instance);
        instances.presence().seen(instance.key());
        return new Registered(instances.arn(instance), instance.ec2InstanceId(), token);
    }

    /** The desired state once its version is above {@code after}, or empty after {@code wait}. */
    public Optional<DesiredState> desired(ContainerInstance caller, long after, Duration wait)
            throws InterruptedException {
        polling.incrementAndGet();
        try {
            return waitForDesired(caller, after, wait);
        } finally {
            polling.decrementAndGet();
        }
    }

    /**
     * As {@link #desired}, for an agent that asks for changes only: when {@code since} names the
     * last state this process gave it, the answer holds only the tasks whose desired form changed
     * since and those no longer desired; otherwise (the first poll, another replica's or a restarted
     * server's token) all of them. An instance's tasks go out again on each of its changes, and under
     * binpack an instance holds a thousand: the whole state each time was most of the channel's
     * bytes.
     */
    public Optional<DesiredState> desiredChanges(ContainerInstance caller, long after, String since, Duration wait)
            throws InterruptedException {
        polling.incrementAndGet();
        Optional<ContainerInstance> woken;
        try {
            woken = waitForVersion(caller, after, wait);
        } finally {
            polling.decrementAndGet();
        }
        if (woken.isEmpty()) {
            return Optional.empty();
        }
        ContainerInstance instance = woken.get();
        String token = Long.toString(tokens.incrementAndGet(), 36) + "-" + SESSION;
        Sent previous;
        synchronized (sent) {
            previous = sent.get(caller.key());
        }
        boolean changesOnly = since != null && previous != null && previous.token().equals(since);
        Built built = build(instance, changesOnly ? previous.tasks() : Map.of());
        List<String> removed = new ArrayList<>();
        if (changesOnly) {
            previous.tasks().forEach((id, t) -> {
                if (!built.all().containsKey(id)) {
                    removed.add(t.task().taskArn());
                }
            });
        }
        synchronized (sent) {
            if (instance.registered()) {
                sent.put(caller.key(), new Sent(token, built.all()));
            } else {
                sent.remove(caller.key()); // deregistered: its agent gets no further state from here
            }
        }
        return Optional.of(new DesiredState(instance.desiredVersion(), built.changed(),
                new DesiredState.Delta(token, changesOnly, removed)));
    }

    /** An instance's desired tasks: all of them by task id, and those not as {@code known} had them. */
    private record Built(Map<String, CachedTask> all, List<DesiredTask> changed) {
    }

    /**
     * The desired form of each live task of {@code instance}; {@code known} (task id → what an agent
     * was last given) lets unchanged tasks be left out of {@code changed} (empty: every task is).
     */
    private Built build(ContainerInstance instance, Map<String, CachedTask> known) {
        Map<String, CachedTask> all = new LinkedHashMap<>();
        List<DesiredTask> changed = new ArrayList<>();
        for (Map.Entry<String, Long> e : tasks.live().versionsOn(instance.key()).entrySet()) {
            CachedTask before = known.get(e.getKey());
            if (before != null && before.version() == e.getValue()) {
                all.put(e.getKey(), before); // unchanged since the state the agent names
                continue;
            }
            CachedTask task = desiredTask(instance.cluster() + "/" + e.getKey(), e.getValue());
            if (task != null) {
                all.put(e.getKey(), task);
                changed.add(task.task());
            }
        }
        return new Built(all, changed);
    }

    /** What this process last gave an instance's agent that asks for changes only, and its token. */
    private record Sent(String token, Map<String, CachedTask> tasks) {
    }

    /** Instance key → the last state sent to its agent (agents that ask for changes only). */
    private final Map<String, Sent> sent = new java.util.HashMap<>();
    private final java.util.concurrent.atomic.AtomicLong tokens = new java.util.concurrent.atomic.AtomicLong();
    /** Tells this process's tokens from another's (a restarted server, another replica). */
    private static final String SESSION = Long.toString(new java.security.SecureRandom().nextLong() >>> 1, 36);

    private Optional<DesiredState> waitForDesired(ContainerInstance caller, long after, Duration wait)
            throws InterruptedException {
        return waitForVersion(caller, after, wait).map(this::desiredState);
    }

    /** The instance once its desired version is above {@code after} (or it is gone), or empty after {@code wait}. */
    private Optional<ContainerInstance> waitForVersion(ContainerInstance caller, long after, Duration wait)
            throws InterruptedException {
        instances.presence().seen(caller.key());
        long deadline = System.nanoTime() + wait.toNanos();
        Object monitor = monitors.computeIfAbsent(caller.key(), k -> new Object());
        while (!closed) {
            ContainerInstance current = instances.find(caller.cluster(), caller.id()).orElse(caller);
            if (current.desiredVersion() > after || !current.registered()) {
                return Optional.of(current);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            synchronized (monitor) {
                ContainerInstance again = instances.find(caller.cluster(), caller.id()).orElse(caller);
                if (again.desiredVersion() > after) {
                    continue;
                }
                monitor.wait(Math.max(1, Math.min(left / 1_000_000, 5_000)));
            }
            instances.presence().seen(caller.key());
        }
        return Optional.empty();
    }

    private DesiredState desiredState(ContainerInstance instance) {
        return new DesiredState(instance.desiredVersion(), build(instance, Map.of()).changed());
    }

    /**
     * A live task's desired form: the one made for {@code liveVersion} (the version the live tasks
     * last saw) without reading the store, else made from the stored task; null if it is gone or
     * STOPPED.
     */
    private CachedTask desiredTask(String key, long liveVersion) {
        CachedTask known = desiredTasks.get(key);
        if (known != null && known.version() == liveVersion) {
            return known;
        }
        Optional<Versioned> read = store.get(Tasks.KIND, key);
        if (read.isEmpty()) {
            return null;
        }
        CachedTask cached = known;
        if (cached == null || cached.version() != read.get().version()) {
            Task t = EcsJson.decode(read.get().value(), Task.class);
            if (t.stopped()) {
                desiredTasks.remove(key);
                return null;
            }
            cached = new CachedTask(read.get().version(), new DesiredTask(tasks.arn(t),
                    t.cluster(), t.family(), Integer.toString(t.revision()), agentDesiredStatus(t),
                    t.taskDefinitionArn(), definitionJson(t), t.overridesJson(), hostPorts(t), t.stoppedReason(),
                    null));
            desiredTasks.put(key, cached);
        }
        return cached;
    }

    /**
     * The desired status the agent sees: a DEACTIVATING task keeps RUNNING on its host while its
     * load balancer targets drain; the server releases it (STOPPING) afterwards.
     */
    public static String agentDesiredStatus(Task t) {
        return t.lastStatus() == io.berth.core.task.TaskStatus.DEACTIVATING ? "RUNNING" : t.desiredStatus().name();
    }

    /** A task's desired form at a store version: rendering it (and its definition) once per change. */
    private record CachedTask(long version, DesiredTask task) {
    }

    private final Map<String, CachedTask> desiredTasks = new ConcurrentHashMap<>();

    private String definitionJson(Task t) {
        return definitionJson.computeIfAbsent(t.taskDefinitionArn(), arn -> {
            TaskDefinition td = tasks.definition(t);
            return TaskDefinitionJson.render(td, tasks.account()).toString();
        });
    }

    private final Map<String, Map<String, Integer>> hostPortsByDefinition = new ConcurrentHashMap<>();

    private Map<String, Integer> hostPorts(Task t) {
        return hostPortsByDefinition.computeIfAbsent(t.taskDefinitionArn(), arn -> {
            Map<String, Integer> ports = new HashMap<>();
            try {
                TaskDefinition td = tasks.definition(t);
                for (var c : td.containers()) {
                    for (var p : c.portMappings()) {
                        int host = td.networkMode() == io.berth.ecs.taskdef.NetworkMode.HOST
                                ? p.containerPort().orElse(0) : p.hostPort();
                        if (host > 0 && p.containerPort().isPresent()) {
                            ports.put(c.name() + "/" + p.containerPort().getAsInt() + "/" + p.protocol(), host);
                        }
                    }
                }
            } catch (IllegalStateException e) {
                // definition gone: no static ports to hand over
            }
            return Map.copyOf(ports);
        });
    }

    /** Applies a usage report: the {@code AWS/ECS} utilisation metrics of the clusters it touches. */
    public void usage(ContainerInstance caller, io.berth.core.agent.UsageReport report) {
        instances.presence().seen(caller.key());
        metrics.count("berth.agent.channel.usage", 1);
        usage.accept(caller, report);
    }

    /** Applies a report: each task moves forward per its lifecycle; a STOPPED task frees its resources. */
    public ReportAck report(ContainerInstance caller, AgentReport report) {
        metrics.count("berth.agent.channel.reports", 1);
        instances.presence().seen(caller.key());
        Instant now = clock.instant();
        for (int attempt = 0; ; attempt++) {
            Versioned instanceRead = store.get(ContainerInstances.KIND, caller.key())
                    .orElseThrow(() -> BerthException.client("The container instance is not registered."));
            ContainerInstance instance = instances.decoded(instanceRead);
            Optional<Versioned> sequenceRead = store.get(SEQUENCE_KIND, caller.key());
            long applied = sequenceRead.map(v -> Long.parseLong(new String(v.value(), StandardCharsets.US_ASCII)))
                    .orElse(0L);
            if (!report.fresh() && report.sequence() <= applied) {
                return new ReportAck(applied, instance.desiredVersion());
            }
            if (report.tasks().isEmpty() && !report.fresh()) {
                return new ReportAck(report.sequence(), instance.desiredVersion());
            }
            List<Mutation> tx = new ArrayList<>();
            for (TaskReport tr : report.tasks()) {
                Optional<String> taskId = taskId(tr.taskArn(), instance.cluster());
                if (taskId.isEmpty()) {
                    continue;
                }
                Optional<Versioned> read = store.get(Tasks.KIND, instance.cluster() + "/" + taskId.get());
                if (read.isEmpty()) {
                    continue;
                }
                Task task = EcsJson.decode(read.get().value(), Task.class);
                if (!instance.id().equals(task.containerInstanceId())) {
                    continue;
                }
                Task updated = TaskReports.apply(task, tr, now);
                if (updated != task) {
                    tx.add(Mutation.update(read.get(), EcsJson.encode(updated)));
                    if (updated.stopped()) {
                        desiredTasks.remove(read.get().key()); // its resources free with it (LiveTasks)
                    }
                }
            }
            // The applied sequence lives in its own record, so that reports of running tasks do not
            // touch the instance record that placements write (no needless optimistic conflicts).
            tx.add(new Mutation.Put(SEQUENCE_KIND, caller.key(),
                    sequenceRead.map(Versioned::version).orElse(Mutation.ABSENT),
                    Long.toString(report.sequence()).getBytes(StandardCharsets.US_ASCII)));
            try {
                store.commit(tx, TIMEOUT);
                return new ReportAck(report.sequence(), instance.desiredVersion());
            } catch (ConflictException e) {
                if (attempt > 32) {
                    throw e;
                }
            }
        }
    }

    private static Optional<String> taskId(String taskArn, String cluster) {
        return Arn.parse(taskArn).filter(a -> "task".equals(a.resourceType())).map(a -> {
            String rest = a.resourceId();
            int slash = rest.lastIndexOf('/');
            return slash >= 0 && rest.substring(0, slash).equals(cluster) ? rest.substring(slash + 1) : null;
        });
    }

    /** Forgets what it rendered (after a reset wiped the store, ARNs are reused for other things). */
    public void forgetCaches() {
        desiredTasks.clear();
        definitionJson.clear();
        hostPortsByDefinition.clear();
    }

    /** Ends every long poll (they answer "nothing new") and stops following the store. */
    @Override
    public void close() {
        closed = true;
        for (Object monitor : monitors.values()) {
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }
        try {
            subscription.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
