package io.berth.agent.engine;

import io.berth.agent.engine.TaskSpec.ContainerPlan;
import io.berth.agent.engine.TaskSpec.VolumePlan;
import io.berth.core.agent.AgentLabels;
import io.berth.core.agent.DesiredState;
import io.berth.core.agent.DesiredTask;
import io.berth.core.agent.TaskReport;
import io.berth.core.runtime.ContainerEvent;
import io.berth.core.runtime.ContainerRuntime;
import io.berth.core.runtime.ContainerState;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task engine of one container instance: runs the tasks the server assigns to it on the host's
 * container engine, as a reconcile loop.
 *
 * <pre>
 *   desired state ─┐                                   ┌─▶ workers (virtual threads): pull, create,
 *   outcomes ──────┼─▶ inbox ─▶ engine loop ─ plan ────┤    start, stop, remove, inspect, list
 *   engine events ─┤    (one thread owns every          └─▶ snapshot (task reports) ─▶ onChange
 *   relists ───────┘     TaskRecord; no locks)
 * </pre>
 *
 * <p>The loop folds each input into the task records ({@link Transitions}), asks the
 * {@link TaskPlanner} what to do for every task, hands the actions to the workers (whose outcomes
 * come back through the inbox), and publishes an {@link EngineSnapshot}. It wakes at least every
 * {@link EngineSettings#tick()}, re-lists all of the instance's containers every
 * {@link EngineSettings#relistInterval()} (and after every event-stream reconnect), and reacts to
 * engine events by inspecting the container they name.
 *
 * <p>At start it lists the containers labelled with this instance and holds the first desired
 * state until that list succeeded: each (task, container name) found is adopted, never created
 * again; containers of tasks the server no longer lists are stopped and removed.
 *
 * <p>Thread-safety: {@link #apply}, {@link #snapshot} and {@link #close} may be called from any
 * thread. {@code onChange} runs on the engine loop and must not block. Closing stops the loop and
 * abandons calls in flight; containers keep running.
 */
public final class TaskEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TaskEngine.class);

    private final EngineSettings settings;
    private final ContainerRuntime runtime;
    private final ActionRunner runner;
    private final String instanceArn;
    private final Map<String, String> instanceLabels;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final Runnable onChange;
    private final Hooks hooks;
    private final BlockingQueue<Input> inbox = new LinkedBlockingQueue<>();
    private final ExecutorService workers =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("berth-engine-worker-", 0).factory());
    private final Thread loop;
    private volatile boolean closed;
    private volatile EngineSnapshot snapshot = EngineSnapshot.EMPTY;
    private volatile Map<String, TaskRecord> published = Map.of();

    // Owned by the loop thread.
    private final Map<String, TaskRecord> tasks = new LinkedHashMap<>();
    private final Map<String, Long> learnedAt = new HashMap<>();
    private final Map<String, Long> forgottenAt = new HashMap<>();
    private List<ContainerState> adoptable;
    private DesiredState heldDesired;
    private boolean ready;
    private long appliedVersion;
    private long iteration;
    private boolean listing;
    private Instant nextList = Instant.MIN;
    private Object subscriptionToken;
    private AutoCloseable subscription;
    private int subscribeFailures;
    private Instant nextSubscribe = Instant.MIN;

    private TaskEngine(EngineSettings settings, ContainerRuntime runtime, String instanceArn, InstantSource clock,
                       RandomGenerator random, Runnable onChange, Hooks hooks, PullCredentials credentials) {
        this.settings = Objects.requireNonNull(settings);
        this.runtime = Objects.requireNonNull(runtime);
        this.runner = new ActionRunner(runtime, settings, credentials);
        this.instanceArn = Objects.requireNonNull(instanceArn);
        this.instanceLabels = Map.of(AgentLabels.CONTAINER_INSTANCE, instanceArn);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
        this.onChange = onChange == null ? () -> { } : onChange;
        this.hooks = hooks == null ? Hooks.NONE : hooks;
        this.loop = new Thread(this::run, "berth-engine");
        this.loop.setDaemon(true);
    }

    /**
     * Starts the engine of container instance {@code instanceArn}. {@code random} is used on the
     * engine loop only (container name suffixes); {@code onChange} runs after each change of the
     * {@link #snapshot()}.
     */
    public static TaskEngine start(EngineSettings settings, ContainerRuntime runtime, String instanceArn,
                                   InstantSource clock, RandomGenerator random, Runnable onChange) {
        return start(settings, runtime, instanceArn, clock, random, onChange, Hooks.NONE);
    }

    /** As {@link #start(EngineSettings, ContainerRuntime, String, InstantSource, RandomGenerator, Runnable)}, with hooks. */
    public static TaskEngine start(EngineSettings settings, ContainerRuntime runtime, String instanceArn,
                                   InstantSource clock, RandomGenerator random, Runnable onChange, Hooks hooks) {
        return start(settings, runtime, instanceArn, clock, random, onChange, hooks, PullCredentials.ANONYMOUS);
    }

    /**
     * As {@link #start(EngineSettings, ContainerRuntime, String, InstantSource, RandomGenerator, Runnable, Hooks)},
     * pulling with the registry credentials {@code credentials} give (those of the server's desired
     * state, when it sends any, win).
     */
    public static TaskEngine start(EngineSettings settings, ContainerRuntime runtime, String instanceArn,
                                   InstantSource clock, RandomGenerator random, Runnable onChange, Hooks hooks,
                                   PullCredentials credentials) {
        TaskEngine engine = new TaskEngine(settings, runtime, instanceArn, clock, random, onChange, hooks,
                credentials);
        engine.loop.start();
        return engine;
    }

    /**
     * What the agent's host services add to the engine's containers: the task metadata endpoint's
     * environment, log shipping. Called on engine workers, never on the loop; implementations must be
     * thread-safe and wait briefly if at all. A hook that throws counts as having nothing to say.
     */
    public interface Hooks {
        Hooks NONE = new Hooks() {
        };

        /** Environment variables for a container about to be created; they win over the task definition's. */
        default Map<String, String> environment(TaskRecord task, ContainerPlan container) {
            return Map.of();
        }

        /**
         * Before a created container starts: null to go on, or why it cannot start (it then fails with
         * {@code CannotStartContainerError: <reason>}).
         */
        default String beforeStart(TaskRecord task, ContainerPlan container, String runtimeId) {
            return null;
        }

        /** Before the engine removes the containers of a stopped task. */
        default void beforeRemove(String taskArn, List<String> runtimeIds) {
        }
    }

    /** The server's desired state for this instance; the latest one wins. */
    public void apply(DesiredState state) {
        inbox.add(new Desired(Objects.requireNonNull(state)));
    }

    /** The engine's state as of its last loop iteration. */
    public EngineSnapshot snapshot() {
        return snapshot;
    }

    /** Every task record, orphans included, as of the last loop iteration (for tests and diagnostics). */
    public Map<String, TaskRecord> records() {
        return published;
    }

    public String instanceArn() {
        return instanceArn;
    }

    @Override
    public void close() {
        closed = true;
        loop.interrupt();
        try {
            loop.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(subscription);
        workers.shutdownNow();
    }

    // ---- the loop -------------------------------------------------------------------------------

    private void run() {
        log.info("task engine of {} started", instanceArn);
        while (!closed) {
            try {
                Input in = inbox.poll(settings.tick().toMillis(), TimeUnit.MILLISECONDS);
                iteration++;
                Instant now = clock.instant();
                if (in != null) {
                    handle(in, now);
                }
                for (Input more = inbox.poll(); more != null; more = inbox.poll()) {
                    handle(more, now);
                }
                housekeeping(now);
                if (ready) {
                    reconcile(now);
                }
                publish();
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                log.error("task engine loop failed; continuing", e);
            }
        }
        log.info("task engine of {} stopped", instanceArn);
    }

    private void handle(Input in, Instant now) {
        switch (in) {
            case Desired d -> {
                if (adoptable == null && !ready) {
                    heldDesired = d.state(); // until the host's containers are known
                } else {
                    applyDesired(d.state());
                }
            }
            case Result r -> {
                TaskRecord t = tasks.get(r.outcome().taskArn());
                if (t != null) {
                    tasks.put(t.taskArn(), Transitions.apply(t, r.outcome(), now, settings));
                }
                if (r.outcome() instanceof Outcome.Created c) {
                    learnedAt.put(c.runtimeId(), iteration);
                }
            }
            case Listed l -> {
                listing = false;
                nextList = now.plus(settings.relistInterval());
                if (!ready) {
                    adoptable = l.states();
                    if (heldDesired != null) {
                        applyDesired(heldDesired);
                        heldDesired = null;
                    }
                } else {
                    reconcileListing(l.states(), l.iteration());
                }
            }
            case ListFailed f -> {
                listing = false;
                nextList = now.plus(settings.relistInterval());
                log.warn("cannot list the containers of {}: {}", instanceArn, f.message());
            }
            case Inspected i -> {
                for (TaskRecord t : List.copyOf(tasks.values())) {
                    if (t.byRuntimeId(i.runtimeId()).isPresent()) {
                        tasks.put(t.taskArn(), i.state() == null ? Transitions.gone(t, i.runtimeId())
                                : Transitions.observe(t, i.state()));
                    }
                }
            }
            case Subscribed s -> {
                if (closed || s.token() != subscriptionToken) {
                    closeQuietly(s.handle()); // a stream that broke before it was handed over
                } else {
                    subscription = s.handle();
                    subscribeFailures = 0;
                    nextList = now; // catch up on what happened while there was no stream
                }
            }
            case SubscribeFailed f -> {
                subscriptionToken = null;
                subscribeFailures++;
                nextSubscribe = now.plus(settings.retryAfter(subscribeFailures));
                log.warn("cannot subscribe to container events: {}", f.message());
            }
            case StreamClosed c -> {
                if (c.token() == subscriptionToken) {
                    log.info("container event stream closed; resubscribing");
                    subscription = null;
                    subscriptionToken = null;
                    nextSubscribe = now.plus(settings.retryDelay());
                    nextList = now;
                }
            }
        }
    }

    private void applyDesired(DesiredState state) {
        Set<String> listed = new HashSet<>();
        Map<String, List<ContainerState>> found = ready ? Map.of() : byTask(adoptable);
        for (DesiredTask d : state.tasks()) {
            listed.add(d.taskArn());
            TaskRecord t = tasks.get(d.taskArn());
            if (t == null) {
                TaskSpec spec = TaskSpecs.read(d, instanceArn, settings);
                t = Transitions.adopt(d, spec, found.getOrDefault(d.taskArn(), List.of()));
                t.containers().stream().map(ContainerRecord::runtimeId).filter(Objects::nonNull)
                        .forEach(id -> learnedAt.put(id, 0L));
                if (spec.refusal() != null) {
                    log.warn("task {} refused: {}", d.taskArn(), spec.refusal());
                }
            } else {
                t = Transitions.desired(t, d);
            }
            tasks.put(d.taskArn(), t);
        }
        for (TaskRecord t : List.copyOf(tasks.values())) {
            if (!listed.contains(t.taskArn()) && (t.listed() || !t.stopRequested())) {
                tasks.put(t.taskArn(), Transitions.unlisted(t));
            }
        }
        if (!ready) {
            found.forEach((taskArn, states) -> {
                if (!listed.contains(taskArn)) {
                    log.info("stopping and removing {} container(s) of task {}, which the server no longer lists",
                            states.size(), taskArn);
                    tasks.put(taskArn, Transitions.orphan(taskArn, states, settings));
                }
            });
            adoptable = List.of();
            ready = true;
        }
        appliedVersion = state.version();
    }

    private void reconcileListing(List<ContainerState> states, long listedAt) {
        Map<String, ContainerState> byId = new HashMap<>();
        states.forEach(s -> byId.put(s.id(), s));
        Set<String> known = new HashSet<>();
        for (TaskRecord t : List.copyOf(tasks.values())) {
            TaskRecord next = t;
            for (ContainerRecord c : t.containers()) {
                if (c.runtimeId() == null) {
                    continue;
                }
                known.add(c.runtimeId());
                ContainerState s = byId.get(c.runtimeId());
                if (s != null) {
                    next = Transitions.observe(next, s);
                } else if (learnedAt.getOrDefault(c.runtimeId(), 0L) <= listedAt) {
                    next = Transitions.gone(next, c.runtimeId());
                }
            }
            tasks.put(t.taskArn(), next);
        }
        Map<String, List<ContainerState>> strangers = byTask(states.stream()
                .filter(s -> !known.contains(s.id())).toList());
        strangers.forEach((taskArn, found) -> {
            if (tasks.containsKey(taskArn) || forgottenAt.getOrDefault(taskArn, Long.MIN_VALUE) >= listedAt) {
                return; // a create whose outcome is on its way, or a list older than the task's removal
            }
            log.info("stopping and removing {} container(s) of unknown task {}", found.size(), taskArn);
            tasks.put(taskArn, Transitions.orphan(taskArn, found, settings));
        });
    }

    private void reconcile(Instant now) {
        for (TaskRecord t : List.copyOf(tasks.values())) {
            TaskPlanner.Step step = TaskPlanner.plan(t, now, settings);
            tasks.put(t.taskArn(), step.task());
            for (Action a : step.actions()) {
                dispatch(step.task(), a);
            }
        }
        for (TaskRecord t : List.copyOf(tasks.values())) {
            if (!t.listed() && t.phase() == TaskPhase.STOPPED && t.cleaned()) {
                tasks.remove(t.taskArn());
                t.containers().forEach(c -> {
                    if (c.runtimeId() != null) {
                        learnedAt.remove(c.runtimeId());
                    }
                });
                forgottenAt.put(t.taskArn(), iteration);
                if (forgottenAt.size() > 10_000) {
                    forgottenAt.clear();
                }
            }
        }
    }

    private void housekeeping(Instant now) {
        if (!listing && !now.isBefore(nextList)) {
            listing = true;
            long at = iteration;
            execute(() -> {
                try {
                    inbox.add(new Listed(runner.list(instanceLabels), at));
                } catch (RuntimeException e) {
                    inbox.add(new ListFailed(e.getMessage()));
                }
            });
        }
        if (subscriptionToken == null && !now.isBefore(nextSubscribe)) {
            Object token = new Object();
            subscriptionToken = token;
            execute(() -> {
                try {
                    AutoCloseable handle = runtime.events(instanceLabels, this::onEvent,
                            () -> inbox.add(new StreamClosed(token)));
                    inbox.add(new Subscribed(token, handle));
                } catch (RuntimeException e) {
                    inbox.add(new SubscribeFailed(e.getMessage()));
                }
            });
        }
    }

    private void publish() {
        Map<String, TaskReport> reports = new LinkedHashMap<>();
        tasks.values().stream().filter(TaskRecord::reported).forEach(t -> reports.put(t.taskArn(), TaskReports.of(t)));
        published = Map.copyOf(tasks);
        EngineSnapshot next = new EngineSnapshot(ready, appliedVersion, reports);
        if (!next.equals(snapshot)) {
            snapshot = next;
            try {
                onChange.run();
            } catch (RuntimeException e) {
                log.warn("engine change listener failed", e);
            }
        }
    }

    // ---- side effects ---------------------------------------------------------------------------

    private void onEvent(ContainerEvent event) {
        if (closed) {
            return;
        }
        execute(() -> {
            try {
                inbox.add(new Inspected(event.containerId(), runner.inspect(event.containerId()).orElse(null)));
            } catch (RuntimeException e) {
                log.debug("cannot inspect {} after {}: {}", event.containerId(), event.action(), e.getMessage());
            }
        });
    }

    private void dispatch(TaskRecord t, Action action) {
        switch (action) {
            case Action.Pull p -> {
                DesiredTask d = t.desired();
                var auth = ActionRunner.auth(d == null ? null : d.registryAuth(), p.image());
                submit(action, () -> runner.pull(p, auth));
            }
            case Action.Create c -> {
                ContainerPlan plan = t.spec().container(c.container()).orElseThrow();
                Map<String, String> runtimeIds = new HashMap<>();
                t.containers().stream().filter(x -> x.runtimeId() != null)
                        .forEach(x -> runtimeIds.put(x.name(), x.runtimeId()));
                String hostName = TaskSpecs.hostName(t.spec(), plan.name(), taskId(c.taskArn()));
                List<VolumePlan> volumes = plan.volumes().stream()
                        .map(v -> t.spec().volume(v).orElseThrow()).toList();
                submit(action, () -> runner.create(c, t.spec().limits(), parent -> TaskSpecs.concrete(plan, hostName,
                        runtimeIds, hookEnvironment(t, plan), parent), volumes));
            }
            case Action.Start s -> submit(action, () -> {
                String refusal = hookBeforeStart(t, s);
                return refusal != null
                        ? new Outcome.Failed(s.taskArn(), s.container(), "CannotStartContainerError: " + refusal)
                        : runner.start(s);
            });
            case Action.Stop s -> submit(action, () -> runner.stop(s));
            case Action.Cleanup c -> submit(action, () -> {
                try {
                    hooks.beforeRemove(c.taskArn(), c.runtimeIds());
                } catch (RuntimeException e) {
                    log.warn("a hook failed before the removal of task {}'s containers", c.taskArn(), e);
                }
                return runner.cleanup(c);
            });
        }
    }

    private Map<String, String> hookEnvironment(TaskRecord t, ContainerPlan plan) {
        try {
            Map<String, String> env = hooks.environment(t, plan);
            return env == null ? Map.of() : env;
        } catch (RuntimeException e) {
            log.warn("a hook failed to give the environment of container {} of task {}", plan.name(), t.taskArn(), e);
            return Map.of();
        }
    }

    private String hookBeforeStart(TaskRecord t, Action.Start s) {
        try {
            ContainerPlan plan = t.spec() == null ? null : t.spec().container(s.container()).orElse(null);
            return plan == null ? null : hooks.beforeStart(t, plan, s.runtimeId());
        } catch (RuntimeException e) {
            log.warn("a hook failed before the start of container {} of task {}", s.container(), s.taskArn(), e);
            return null;
        }
    }

    private void submit(Action action, Supplier<Outcome> call) {
        execute(() -> {
            Outcome outcome;
            try {
                outcome = call.get();
            } catch (RuntimeException e) {
                log.warn("{} failed unexpectedly", action, e);
                outcome = unexpected(action, e);
            }
            inbox.add(new Result(outcome));
        });
    }

    private static Outcome unexpected(Action action, RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        return switch (action) {
            case Action.Pull p -> new Outcome.Transient(p.taskArn(), p.container(), message, false);
            case Action.Create c -> new Outcome.Transient(c.taskArn(), c.container(), message, false);
            case Action.Start s -> new Outcome.Transient(s.taskArn(), s.container(), message, false);
            case Action.Stop s -> new Outcome.Transient(s.taskArn(), s.container(), message, false);
            case Action.Cleanup c -> new Outcome.CleanupFailed(c.taskArn(), message);
        };
    }

    private void execute(Runnable job) {
        try {
            workers.execute(job);
        } catch (RejectedExecutionException e) {
            if (!closed) {
                throw e;
            }
        }
    }

    /** 20 hex digits, as the ECS agent's container name suffix. */
    /** The task id of an ARN: names the task's containers, so that one name means one container. */
    private static String taskId(String taskArn) {
        return taskArn.substring(taskArn.lastIndexOf('/') + 1);
    }

    private String randomHex() {
        byte[] bytes = new byte[10];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static Map<String, List<ContainerState>> byTask(List<ContainerState> states) {
        if (states == null) {
            return Map.of();
        }
        return states.stream().filter(s -> s.labels().get(AgentLabels.TASK_ARN) != null)
                .collect(Collectors.groupingBy(s -> s.labels().get(AgentLabels.TASK_ARN), LinkedHashMap::new,
                        Collectors.toCollection(ArrayList::new)));
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            log.debug("closing {}", c, e);
        }
    }

    // ---- inputs of the loop ---------------------------------------------------------------------

    private sealed interface Input {
    }

    private record Desired(DesiredState state) implements Input {
    }

    private record Result(Outcome outcome) implements Input {
    }

    private record Listed(List<ContainerState> states, long iteration) implements Input {
    }

    private record ListFailed(String message) implements Input {
    }

    /** @param state null when the container is gone */
    private record Inspected(String runtimeId, ContainerState state) implements Input {
    }

    private record Subscribed(Object token, AutoCloseable handle) implements Input {
    }

    private record SubscribeFailed(String message) implements Input {
    }

    private record StreamClosed(Object token) implements Input {
    }
}
