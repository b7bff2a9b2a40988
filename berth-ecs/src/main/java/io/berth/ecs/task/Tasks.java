package io.berth.ecs.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.arn.Account;
import io.berth.core.arn.Arn;
import io.berth.core.error.BerthException;
import io.berth.core.instance.ContainerInstance;
import io.berth.core.store.ConflictException;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.Versioned;
import io.berth.core.task.DesiredStatus;
import io.berth.core.task.StopCode;
import io.berth.core.task.Task;
import io.berth.core.task.TaskStatus;
import io.berth.ecs.EcsJson;
import io.berth.ecs.cluster.Cluster;
import io.berth.ecs.cluster.Clusters;
import io.berth.ecs.instance.ContainerInstances;
import io.berth.ecs.tag.Tag;
import io.berth.ecs.tag.Tags;
import io.berth.ecs.taskdef.TaskDefinition;
import io.berth.ecs.taskdef.TaskDefinitionRef;
import io.berth.ecs.taskdef.TaskDefinitionStatus;
import io.berth.ecs.taskdef.TaskDefinitions;
import io.berth.scheduler.placement.FirstFit;
import io.berth.scheduler.placement.PlacementConstraint;
import io.berth.scheduler.placement.PlacementEngine;
import io.berth.scheduler.placement.PlacementRequest;
import io.berth.scheduler.placement.PlacementStrategy;
import io.berth.scheduler.placement.ClusterColumns;
import io.berth.scheduler.snapshot.InstanceView;
import io.berth.scheduler.snapshot.TaskView;
import io.berth.scheduler.placement.PlacementResult;
import io.berth.scheduler.placement.TaskDemand;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Tasks in the store (kind {@value #KIND}, key {@code cluster/id}): placing them (RunTask,
 * StartTask), stopping them, and reading them. Each task record carries its allocation; an
 * instance's resources in use are its live tasks' ({@link LiveTasks}). Placements in a cluster take
 * turns and chain their transactions through the cluster's placement epoch, so concurrent
 * placements never overcommit an instance or hand out a host port twice. Thread-safe.
 */
public final class Tasks {
    public static final String KIND = "ecs-task";
    static final String TOKEN_KIND = "ecs-runtask-token";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int RETRIES = 32;

    private final StateStore store;
    private final Account account;
    private final Clusters clusters;
    private final ContainerInstances instances;
    private final TaskDefinitions definitions;
    private final Tags tags;
    private final InstantSource clock;
    private final java.util.random.RandomGenerator random =
            java.util.random.RandomGenerator.of("L64X128MixRandom");

    private final io.berth.core.metrics.Metrics metrics;
    private final LiveTasks liveTasks;

    public Tasks(StateStore store, Account account, Clusters clusters, ContainerInstances instances,
                 TaskDefinitions definitions, Tags tags, InstantSource clock) {
        this(store, account, clusters, instances, definitions, tags, clock, io.berth.core.metrics.Metrics.NONE);
    }

    /** As above, timing each placement ({@code berth.scheduler.placement}) in {@code metrics}. */
    public Tasks(StateStore store, Account account, Clusters clusters, ContainerInstances instances,
                 TaskDefinitions definitions, Tags tags, InstantSource clock, io.berth.core.metrics.Metrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.liveTasks = new LiveTasks(store);
        this.account = account;
        this.clusters = clusters;
        this.instances = instances;
        this.definitions = definitions;
        this.tags = tags;
        this.clock = clock;
    }

    public String arn(Task task) {
        return account.arn("ecs", "task/" + task.cluster() + "/" + task.id()).toString();
    }

    public String containerArn(Task task, String containerId) {
        return account.arn("ecs", "container/" + task.cluster() + "/" + task.id() + "/" + containerId).toString();
    }

    public Account account() {
        return account;
    }

    public ContainerInstances instances() {
        return instances;
    }

    public Clusters clusters() {
        return clusters;
    }

    public Optional<Task> find(String cluster, String id) {
        return store.get(KIND, cluster + "/" + id).map(v -> EcsJson.decode(v.value(), Task.class));
    }

    /** The task a request names (an id or an ARN) in {@code cluster}. */
    public Optional<Task> resolve(String cluster, String idOrArn) {
        String id = idOrArn;
        if (idOrArn.startsWith("arn:")) {
            Optional<Arn> arn = Arn.parse(idOrArn);
            if (arn.isEmpty() || !"task".equals(arn.get().resourceType())) {
                return Optional.empty();
            }
            String rest = arn.get().resourceId();
            int slash = rest.lastIndexOf('/');
            if (slash >= 0 && !rest.substring(0, slash).equals(cluster)) {
                return Optional.empty();
            }
            id = slash >= 0 ? rest.substring(slash + 1) : rest;
        }
        return find(cluster, id);
    }

    /** Tasks of a cluster in key order after {@code afterId}, keeping those {@code filter} accepts. */
    public List<Task> list(String cluster, Predicate<Task> filter, String afterId, int limit) {
        List<Task> page = new ArrayList<>();
        String after = afterId == null ? null : cluster + "/" + afterId;
        while (page.size() < limit) {
            List<Versioned> batch = store.scan(KIND, cluster + "/", after, 500);
            for (Versioned v : batch) {
                Task t = EcsJson.decode(v.value(), Task.class);
                if (filter.test(t) && page.size() < limit) {
                    page.add(t);
                }
                after = v.key();
            }
            if (batch.size() < 500) {
                break;
            }
        }
        return page;
    }

    public TaskDefinition definition(Task task) {
        return definitions.get(task.family(), task.revision())
                .orElseThrow(() -> new IllegalStateException("task definition of " + task.key() + " is gone"));
    }

    public RunResult run(RunRequest request) {
        return run(request, false);
    }

    /**
     * RunTask for a service's scheduler: as {@link #run}, but also from an INACTIVE task definition,
     * as ECS keeps running (and replacing) the tasks of a service whose revision was deregistered.
     */
    public RunResult runForService(RunRequest request) {
        return run(request, true);
    }

    private RunResult run(RunRequest request, boolean inactiveAllowed) {
        Cluster cluster = clusters.active(request.cluster());
        if (request.clientToken() != null) {
            Optional<RunResult> earlier = earlierRun(cluster.name(), request.clientToken());
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        TaskDefinition td = TaskDefinitionRef.parse(request.taskDefinition(), account)
                .flatMap(definitions::find)
                .orElseThrow(() -> BerthException.client("TaskDefinition not found."));
        if (td.status() != TaskDefinitionStatus.ACTIVE && !(inactiveAllowed && td.status() == TaskDefinitionStatus.INACTIVE)) {
            throw BerthException.client("TaskDefinition is inactive");
        }
        TaskShape.requireRunnable(td);
        JsonNode overrides = parse(request.overridesJson());
        for (String name : TaskShape.containerOverrides(overrides).keySet()) {
            if (!td.containerNames().contains(name)) {
                throw BerthException.invalidParameter("Override for container named " + name
                        + " is not a container in the TaskDefinition.");
            }
        }
        TaskDemand demand = TaskShape.demand(td, overrides);
        for (int attempt = 0; ; attempt++) {
            // Placements in one cluster take turns in this process: they would otherwise pick the same
            // instances and lose optimistic races to each other. Versions still guard other writers.
            // A turn ends when its transaction is submitted; it becomes durable (group commit) while
            // the next placements are computed on top of it (PlacementLedger).
            PlacementLedger ledger = ledger(cluster.name());
            Placed placed;
            long start = System.nanoTime();
            String outcome = "error";
            try {
                synchronized (ledger) {
                    ledger.settle();
                    placed = place(ledger, cluster.name(), td, demand, overrides, request);
                }
                placed.pending().await();
                RunResult result = placed.result();
                outcome = result.tasks().isEmpty() ? "none" : result.failures().isEmpty() ? "placed" : "partial";
                return result;
            } catch (ConflictException e) {
                outcome = "conflict";
                ledger.markDirty();
                if (attempt >= RETRIES) {
                    throw e;
                }
                if (request.clientToken() != null) {
                    Optional<RunResult> earlier = earlierRun(cluster.name(), request.clientToken());
                    if (earlier.isPresent()) {
                        return earlier.get();
                    }
                }
                Thread.onSpinWait();
            } catch (RuntimeException e) {
                ledger.markDirty();
                throw e;
            } finally {
                metrics.time("berth.scheduler.placement", java.time.Duration.ofNanos(System.nanoTime() - start),
                        "outcome", outcome);
            }
        }
    }

    /** A placement submitted to the store: what RunTask answers once it is durable. */
    private record Placed(RunResult result, StateStore.Pending pending) {
    }

    private Placed place(PlacementLedger ledger, String cluster, TaskDefinition td, TaskDemand demand,
                         JsonNode overrides, RunRequest request) {
        List<RunResult.Failure> missing = new ArrayList<>();
        Map<String, ContainerInstances.Stored> chosen = new LinkedHashMap<>();
        ClusterView view = ledger.instances();
        view.refresh(store, instances, liveTasks, ledger::view);
        PlacementResult placement;
        if (request.instanceIds() != null) {
            List<String> placements = new ArrayList<>();
            List<PlacementResult.Veto> vetoes = new ArrayList<>();
            for (String ref : request.instanceIds()) {
                Optional<InstanceView> i = instances.resolve(cluster, ref)
                        .flatMap(found -> view.view(found.id(), liveTasks));
                if (i.isEmpty()) {
                    missing.add(new RunResult.Failure(ref, "MISSING", null));
                    continue;
                }
                chosen.put(i.get().id(), view.stored(i.get().id()));
                PlacementResult one = FirstFit.place(List.of(i.get()), demand, 1);
                placements.addAll(one.placements());
                vetoes.addAll(one.vetoes());
            }
            placement = new PlacementResult(placements, vetoes);
        } else {
            ClusterColumns columns = view.columns(instances.presence(), clock.instant(), liveTasks);
            if (columns.size() == 0) {
                throw BerthException.invalidParameter("No Container Instances were found in your cluster.");
            }
            placement = PlacementEngine.place(columns, placementRequest(td, demand, request), random);
            for (String id : placement.placements()) {
                chosen.computeIfAbsent(id, view::stored);
            }
        }
        Placed placed = commit(ledger, cluster, td, demand, overrides, request, chosen, placement);
        List<RunResult.Failure> failures = new ArrayList<>(missing);
        failures.addAll(placed.result().failures());
        return new Placed(new RunResult(placed.result().tasks(), failures), placed.pending());
    }

    private final Map<String, PlacementLedger> ledgers = new java.util.concurrent.ConcurrentHashMap<>();

    /** Forgets the placement state kept per cluster (after a reset wiped the store). */
    public void forgetCaches() {
        ledgers.clear();
        liveTasks.reset();
    }

    /** The live tasks of every instance (what an instance has in use is theirs). */
    public LiveTasks live() {
        return liveTasks;
    }

    private PlacementLedger ledger(String cluster) {
        return ledgers.computeIfAbsent(cluster, PlacementLedger::new);
    }

    private static PlacementRequest placementRequest(TaskDefinition td, TaskDemand demand, RunRequest request) {
        String group = request.group() != null ? request.group() : "family:" + td.family();
        PlacementRequest base = group.startsWith("service:")
                ? PlacementRequest.forService(demand, request.count(), group.substring(8))
                : PlacementRequest.standalone(demand, request.count(), group);
        List<PlacementConstraint> constraints = new ArrayList<>();
        for (JsonNode c : td.spec().path("placementConstraints")) {
            constraints.add(PlacementConstraint.of(c.path("type").asText(), c.path("expression").asText(null)));
        }
        constraints.addAll(request.constraints());
        List<PlacementStrategy> strategies = request.strategies().isEmpty() && base.serviceName() != null
                ? PlacementRequest.SERVICE_DEFAULT : request.strategies();
        return base.withConstraints(constraints).withStrategies(strategies);
    }

    private Placed commit(PlacementLedger ledger, String cluster, TaskDefinition td, TaskDemand demand,
                          JsonNode overrides, RunRequest request, Map<String, ContainerInstances.Stored> original,
                          PlacementResult placement) {
        Instant now = clock.instant();
        Map<String, List<TaskView>> placedOn = new LinkedHashMap<>();
        List<Task> created = new ArrayList<>();
        List<Mutation> tx = new ArrayList<>();
        for (String instanceId : placement.placements()) {
            ContainerInstance instance = original.get(instanceId).instance();
            Task task = new Task(cluster, newId(), td.arn(account), td.family(), td.revision(), instanceId,
                    TaskStatus.PENDING, DesiredStatus.RUNNING, "EC2",
                    request.group() != null ? request.group() : "family:" + td.family(),
                    request.startedBy(), EcsJson.tree(overrides).toString(), demand.cpu(), demand.memory(),
                    FirstFit.allocation(demand).withGroup(request.group() != null ? request.group()
                            : "family:" + td.family()), TaskShape.containers(td, overrides), "UNKNOWN", now,
                    null, null, null, null, null, null, null, null,
                    instance.attribute("ecs.availability-zone"), 1);
            created.add(task);
            placedOn.computeIfAbsent(instanceId, k -> new ArrayList<>()).add(TaskView.of(task));
            tx.add(Mutation.create(KIND, task.key(), EcsJson.encode(task)));
            Tags.create(arn(task), taskTags(td, request)).ifPresent(tx::add);
        }
        // each instance that got tasks: its desired version moves on (its agent's long poll wakes),
        // from the version read, so a concurrent change of the instance (draining, deregistration)
        // fails the placement instead of being overtaken by it
        List<PlacementLedger.Placement> rewritten = new ArrayList<>();
        for (Map.Entry<String, List<TaskView>> e : placedOn.entrySet()) {
            ContainerInstances.Stored before = original.get(e.getKey());
            ContainerInstance next = before.instance().withDesiredChange();
            byte[] bytes = EcsJson.encode(next);
            tx.add(new Mutation.Put(ContainerInstances.KIND, next.key(), before.storeVersion(), bytes));
            ContainerInstances.Stored written = new ContainerInstances.Stored(next, before.storeVersion() + 1);
            instances.written(written, bytes);
            rewritten.add(new PlacementLedger.Placement(written, e.getValue()));
        }
        List<RunResult.Failure> failures = new ArrayList<>();
        for (PlacementResult.Veto veto : placement.vetoes()) {
            failures.add(new RunResult.Failure(instances.arn(cluster, veto.instanceId()), veto.reason(), null));
        }
        if (request.clientToken() != null) {
            List<String> keys = created.stream().map(Task::key).toList();
            tx.add(Mutation.create(TOKEN_KIND, cluster + "/" + request.clientToken(), EcsJson.encode(keys)));
        }
        if (tx.isEmpty()) {
            return new Placed(new RunResult(created, failures), List::of);
        }
        tx.add(ledger.epochMutation(store));
        StateStore.Pending pending = store.submit(tx, TIMEOUT);
        ledger.submitted(rewritten, pending);
        return new Placed(new RunResult(created, failures), pending);
    }

    private List<Tag> taskTags(TaskDefinition td, RunRequest request) {
        if ("TASK_DEFINITION".equals(request.propagateTags())) {
            Map<String, Tag> merged = new LinkedHashMap<>();
            tags.of(td.arn(account)).forEach(t -> merged.put(t.key(), t));
            request.tags().forEach(t -> merged.put(t.key(), t));
            return List.copyOf(merged.values());
        }
        return request.tags();
    }

    private Optional<RunResult> earlierRun(String cluster, String token) {
        return store.get(TOKEN_KIND, cluster + "/" + token).map(v -> {
            String[] keys = EcsJson.decode(v.value(), String[].class);
            List<Task> found = new ArrayList<>();
            for (String key : keys) {
                store.get(KIND, key).ifPresent(t -> found.add(EcsJson.decode(t.value(), Task.class)));
            }
            return new RunResult(found, List.of());
        });
    }

    /** StopTask: asks the agent to stop the task; a stopped or stopping task is returned as it is. */
    public Task stop(String clusterRef, String taskRef, StopCode code, String reason) {
        Cluster cluster = clusters.active(clusterRef);
        for (int attempt = 0; ; attempt++) {
            Task task = resolve(cluster.name(), taskRef).orElseThrow(() ->
                    BerthException.invalidParameter("The referenced task was not found."));
            if (task.desiredStatus() == DesiredStatus.STOPPED) {
                return task;
            }
            Task stopping = task.stopRequested(code, reason, clock.instant());
            Optional<Versioned> taskRead = store.get(KIND, task.key());
            Optional<Versioned> instanceRead = store.get(ContainerInstances.KIND,
                    cluster.name() + "/" + task.containerInstanceId());
            List<Mutation> tx = new ArrayList<>();
            tx.add(Mutation.update(taskRead.orElseThrow(), EcsJson.encode(stopping)));
            instanceRead.ifPresent(r -> tx.add(Mutation.update(r,
                    EcsJson.encode(EcsJson.decode(r.value(), ContainerInstance.class).withDesiredChange()))));
            try {
                store.commit(tx, TIMEOUT);
                return stopping;
            } catch (ConflictException e) {
                if (attempt >= RETRIES) {
                    throw e;
                }
            }
        }
    }

    /**
     * Asks a RUNNING service task to stop behind a load balancer: desired STOPPED, last status
     * DEACTIVATING while its targets drain. Its agent keeps it running (and is not told) until
     * {@link #release}. A task not RUNNING, or already asked to stop, is stopped as {@link #stop} does.
     */
    public Task deactivate(String cluster, String taskId, StopCode code, String reason) {
        for (int attempt = 0; ; attempt++) {
            Optional<Versioned> read = store.get(KIND, cluster + "/" + taskId);
            if (read.isEmpty()) {
                throw BerthException.invalidParameter("The referenced task was not found.");
            }
            Task task = EcsJson.decode(read.get().value(), Task.class);
            if (task.desiredStatus() == DesiredStatus.STOPPED || task.lastStatus() != TaskStatus.RUNNING) {
                return stop(cluster, taskId, code, reason);
            }
            Task deactivating = task.stopRequested(code, reason, clock.instant()).toBuilder()
                    .lastStatus(TaskStatus.DEACTIVATING).build();
            try {
                store.commit(List.of(Mutation.update(read.get(), EcsJson.encode(deactivating))), TIMEOUT);
                return deactivating;
            } catch (ConflictException e) {
                if (attempt >= RETRIES) {
                    throw e;
                }
            }
        }
    }

    /**
     * Ends a task's DEACTIVATING: last status STOPPING, and its agent is told to stop it. Does
     * nothing to a task in any other status.
     */
    public void release(String cluster, String taskId) {
        for (int attempt = 0; ; attempt++) {
            Optional<Versioned> taskRead = store.get(KIND, cluster + "/" + taskId);
            if (taskRead.isEmpty()) {
                return;
            }
            Task task = EcsJson.decode(taskRead.get().value(), Task.class);
            if (task.lastStatus() != TaskStatus.DEACTIVATING) {
                return;
            }
            Task stopping = task.toBuilder().lastStatus(TaskStatus.STOPPING).build();
            List<Mutation> tx = new ArrayList<>();
            tx.add(Mutation.update(taskRead.get(), EcsJson.encode(stopping)));
            store.get(ContainerInstances.KIND, cluster + "/" + task.containerInstanceId()).ifPresent(r -> tx.add(
                    Mutation.update(r, EcsJson.encode(EcsJson.decode(r.value(), ContainerInstance.class)
                            .withDesiredChange()))));
            try {
                store.commit(tx, TIMEOUT);
                return;
            } catch (ConflictException e) {
                if (attempt >= RETRIES) {
                    throw e;
                }
            }
        }
    }

    /**
     * Marks a task STOPPED without its agent (its instance was deregistered with force): it is no
     * longer monitored or accounted for, as ECS does with orphaned tasks.
     */
    public void orphan(String cluster, String taskId, String reason) {
        for (int attempt = 0; ; attempt++) {
            Optional<Versioned> read = store.get(KIND, cluster + "/" + taskId);
            if (read.isEmpty()) {
                return;
            }
            Task task = EcsJson.decode(read.get().value(), Task.class);
            if (task.stopped()) {
                return;
            }
            Task stopped = task.stoppedByServer(StopCode.TaskFailedToStart, reason, clock.instant());
            try {
                store.commit(List.of(Mutation.update(read.get(), EcsJson.encode(stopped))), TIMEOUT);
                return;
            } catch (ConflictException e) {
                if (attempt >= RETRIES) {
                    throw e;
                }
            }
        }
    }

    /** The task definition ARNs that tasks (not yet forgotten) use. */
    public java.util.Set<String> definitionsInUse() {
        java.util.Set<String> used = new java.util.HashSet<>();
        String after = null;
        while (true) {
            List<Versioned> batch = store.scan(KIND, "", after, 1000);
            for (Versioned v : batch) {
                used.add(EcsJson.decode(v.value(), Task.class).taskDefinitionArn());
                after = v.key();
            }
            if (batch.size() < 1000) {
                return used;
            }
        }
    }

    /** Deletes STOPPED tasks whose stop is older than {@code retention}, as ECS forgets them. */
    public int forgetStopped(Duration retention) {
        Instant cutoff = clock.instant().minus(retention);
        int removed = 0;
        String after = null;
        while (true) {
            List<Versioned> batch = store.scan(KIND, "", after, 500);
            List<Mutation> tx = new ArrayList<>();
            for (Versioned v : batch) {
                Task t = EcsJson.decode(v.value(), Task.class);
                if (t.stopped() && t.stoppedAt() != null && t.stoppedAt().isBefore(cutoff)) {
                    tx.add(Mutation.delete(v));
                    tx.add(Tags.remove(arn(t)));
                }
                after = v.key();
            }
            if (!tx.isEmpty()) {
                try {
                    store.commit(tx, TIMEOUT);
                    removed += tx.size() / 2;
                } catch (ConflictException e) {
                    // changed meanwhile: the next sweep sees it again
                }
            }
            if (batch.size() < 500) {
                return removed;
            }
        }
    }

    private static JsonNode parse(String json) {
        try {
            return EcsJson.MAPPER.readTree(json == null ? "{}" : json);
        } catch (java.io.IOException e) {
            throw BerthException.invalidParameter("overrides could not be read");
        }
    }

    static String newId() {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
