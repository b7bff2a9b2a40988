package io.berth.ecs.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.core.agent.AgentReport;
import io.berth.core.agent.ContainerReport;
import io.berth.core.agent.Registered;
import io.berth.core.agent.Registration;
import io.berth.core.agent.TaskReport;
import io.berth.core.arn.Account;
import io.berth.core.instance.ContainerInstance;
import io.berth.core.task.DesiredStatus;
import io.berth.core.task.Task;
import io.berth.core.task.TaskStatus;
import io.berth.ecs.EcsJson;
import io.berth.ecs.agent.AgentSessions;
import io.berth.ecs.cluster.Cluster;
import io.berth.ecs.cluster.ClusterUsage;
import io.berth.ecs.cluster.Clusters;
import io.berth.ecs.instance.AgentPresence;
import io.berth.ecs.instance.ContainerInstances;
import io.berth.ecs.tag.Tags;
import io.berth.ecs.task.Tasks;
import io.berth.ecs.taskdef.TaskDefinitionOperations;
import io.berth.ecs.taskdef.TaskDefinitions;
import io.berth.testkit.store.InMemoryStateStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * The server side of services on an in-memory store with a test clock: operations, the scheduler
 * (run a pass with {@link #tick()}), and hand-driven agents that report what the test says.
 */
final class ServiceEnv {
    static final Account ACCOUNT = new Account("123456789012", "us-east-1");
    static final String CLUSTER = "work";

    final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
    final InMemoryStateStore store = new InMemoryStateStore();
    final Tags tags = new Tags(store);
    final Services services = new Services(store, ACCOUNT);
    final Clusters clusters;
    final ContainerInstances instances;
    final TaskDefinitions definitions = new TaskDefinitions(store, Duration.ofSeconds(5), new SplittableRandom(7));
    final TaskDefinitionOperations definitionOps = new TaskDefinitionOperations(definitions, tags);
    final Tasks tasks;
    final AgentSessions sessions;
    final ServiceOperations ops;
    final ServiceController controller;
    private final Map<String, Long> sequences = new HashMap<>();

    /** The host ports each task's containers are published on, as its agent reports them. */
    java.util.function.Function<Task, List<ContainerReport.NetworkBinding>> bindings = t -> List.of();

    ServiceEnv() {
        this(TargetRegistry.none());
    }

    ServiceEnv(TargetRegistry targets) {
        ServiceUsage usage = new ServiceUsage();
        clusters = new Clusters(store, ACCOUNT, usage);
        instances = new ContainerInstances(store, ACCOUNT, clusters, new AgentPresence(clock, Duration.ofDays(1)));
        tasks = new Tasks(store, ACCOUNT, clusters, instances, definitions, tags, clock);
        usage.services = services;
        sessions = new AgentSessions(store, instances, tasks, clock);
        ops = new ServiceOperations(services, tasks, definitions, tags, targets);
        controller = new ServiceController(store, services, tasks, definitions, tags, clock, Duration.ofSeconds(40),
                targets);
        clusters.create(new Cluster(CLUSTER, Cluster.Status.ACTIVE, List.of(), null, List.of(), null, null,
                clock.instant()), List.of());
    }

    /** Counts services only, for DeleteCluster's check. */
    private static final class ServiceUsage implements ClusterUsage {
        Services services;

        @Override
        public Counts counts(String cluster) {
            int active = services.list(cluster, Service::active, null, 1000).size();
            return new Counts(0, 0, 0, 0, 0, 0, 0, active, 0, 0, 0, 0, 0);
        }
    }

    static final class MutableClock implements InstantSource {
        private Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        @Override
        public synchronized Instant instant() {
            return now;
        }

        synchronized void advance(Duration d) {
            now = now.plus(d);
        }
    }

    RequestContext ctx() {
        return new RequestContext("req", ACCOUNT, "AKID", clock.instant());
    }

    static ObjectNode json(String singleQuoted) {
        try {
            return (ObjectNode) EcsJson.MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }

    /** Registers a revision of {@code family} (with a container health check); its ARN. */
    String register(String family, String image, boolean healthCheck) {
        String check = healthCheck ? ",'healthCheck':{'command':['CMD-SHELL','true']}" : "";
        return definitionOps.register(ctx(), json("{'family':'" + family + "','containerDefinitions':[{'name':'app',"
                + "'image':'" + image + "','memory':128,'cpu':128" + check + "}]}"))
                .get("taskDefinition").get("taskDefinitionArn").asText();
    }

    /** Registers an instance with a connected agent; its id. */
    String instance(String zone, int cpu, int memory) {
        Registered r = sessions.register(new Registration(CLUSTER, null, null, "127.0.0.1", cpu, memory, List.of(22),
                Map.of("ecs.availability-zone", zone), "test", "20.10", true));
        String id = r.containerInstanceArn().substring(r.containerInstanceArn().lastIndexOf('/') + 1);
        sessions.report(instances.find(CLUSTER, id).orElseThrow(), new AgentReport(seq(id), true, 0, clock.instant(),
                List.of()));
        return id;
    }

    private long seq(String instance) {
        return sequences.merge(instance, 1L, Long::sum);
    }

    ObjectNode create(String singleQuoted) {
        return (ObjectNode) ops.createService(ctx(), json(singleQuoted)).get("service");
    }

    ObjectNode update(String singleQuoted) {
        return (ObjectNode) ops.updateService(ctx(), json(singleQuoted)).get("service");
    }

    ObjectNode describe(String name) {
        return (ObjectNode) ops.describeServices(ctx(), json("{'cluster':'" + CLUSTER + "','services':['" + name
                + "']}")).get("services").get(0);
    }

    Service service(String name) {
        return services.find(CLUSTER, name).orElseThrow();
    }

    List<Task> tasksOf(String name, Predicate<Task> filter) {
        return tasks.list(CLUSTER, t -> ("service:" + name).equals(t.group()) && filter.test(t), null, 10_000);
    }

    List<Task> live(String name) {
        return tasksOf(name, t -> !t.stopped() && t.desiredStatus() == DesiredStatus.RUNNING);
    }

    /** One scheduler pass. */
    void tick() {
        controller.reconcileAll();
    }

    /** The agents do what they are asked: run every task (RUNNING, {@code health}) and stop them. */
    void agentsComply(String health) {
        agents(t -> true, health);
    }

    /** The agents stop what they are asked to and report the tasks {@code starts} accepts RUNNING with {@code health}. */
    void agents(Predicate<Task> starts, String health) {
        Map<String, List<TaskReport>> reports = new HashMap<>();
        for (Task t : tasks.list(CLUSTER, t -> !t.stopped(), null, 10_000)) {
            String arn = tasks.arn(t);
            TaskReport r;
            if ("STOPPED".equals(AgentSessions.agentDesiredStatus(t))) {
                r = stopped(arn, t.startedAt() != null, "EssentialContainerExited", null);
            } else if (starts.test(t) && (t.lastStatus() != TaskStatus.RUNNING || !health.equals(t.healthStatus()))) {
                r = running(arn, health);
            } else {
                continue;
            }
            reports.computeIfAbsent(t.containerInstanceId(), k -> new ArrayList<>()).add(r);
        }
        reports.forEach(this::report);
    }

    /** The agent of {@code task}'s instance reports it failed to start. */
    void failToStart(Task task, String reason) {
        report(task.containerInstanceId(), List.of(new TaskReport(tasks.arn(task), "STOPPED", "UNKNOWN", null, null,
                null, clock.instant(), "TaskFailedToStart", reason, List.of(new ContainerReport("app", null, "STOPPED",
                null, reason, List.of(), "UNKNOWN", null)))));
    }

    void report(String instance, List<TaskReport> tasksReported) {
        ContainerInstance caller = instances.find(CLUSTER, instance).orElseThrow();
        sessions.report(caller, new AgentReport(seq(instance), false, 0, clock.instant(), tasksReported));
    }

    TaskReport running(String arn, String health) {
        Task t = tasks.resolve(CLUSTER, arn).orElse(null);
        List<ContainerReport.NetworkBinding> ports = t == null ? List.of() : bindings.apply(t);
        return new TaskReport(arn, "RUNNING", health, clock.instant(), clock.instant(), clock.instant(), null, null, null,
                List.of(new ContainerReport("app", "c0ffee", "RUNNING", null, null, ports, health, null)));
    }

    TaskReport stopped(String arn, boolean ran, String code, String reason) {
        return new TaskReport(arn, "STOPPED", "UNKNOWN", null, null, ran ? clock.instant() : null, clock.instant(),
                code, reason, List.of(new ContainerReport("app", "c0ffee", "STOPPED", 0, null, List.of(), "UNKNOWN",
                null)));
    }

    /** Ticks and lets the agents comply until {@code done} holds; fails after {@code max} rounds. */
    void runUntil(java.util.function.BooleanSupplier done, int max) {
        for (int i = 0; i < max; i++) {
            if (done.getAsBoolean()) {
                return;
            }
            tick();
            agentsComply("HEALTHY");
            clock.advance(Duration.ofSeconds(1));
        }
        if (!done.getAsBoolean()) {
            throw new AssertionError("not done after " + max + " rounds");
        }
    }

    static List<String> messages(JsonNode service) {
        List<String> result = new ArrayList<>();
        service.path("events").forEach(e -> result.add(e.path("message").asText()));
        return result;
    }
}
