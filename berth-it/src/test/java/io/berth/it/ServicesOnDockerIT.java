package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.agent.Agent;
import io.berth.agent.AgentConfig;
import io.berth.agent.channel.HttpServerChannel;
import io.berth.agent.engine.PullBehavior;
import io.berth.core.agent.AgentLabels;
import io.berth.core.runtime.ContainerRuntime;
import io.berth.core.runtime.ContainerState;
import io.berth.testkit.images.TestImages;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.waiters.EcsWaiter;

/**
 * Rolling deployments on the real Docker Engine: a real server and two real agents (two container
 * instances of the {@code default} cluster on one engine), driven with the AWS SDK. The web image
 * is {@link TestImages#HTTPD} with a container health check on its {@code /health} page, checked
 * every 5 s (the shortest interval ECS allows). Skipped without an engine unless
 * {@code berth.requireDocker=true}.
 */
class ServicesOnDockerIT {
    private static final String MISSING_IMAGE = "127.0.0.1:1/nope:1";
    private static BerthFixture berth;
    private static ContainerRuntime runtime;
    private static final List<Agent> agents = new ArrayList<>();
    private static final List<String> instanceArns = new ArrayList<>();
    private static EcsWaiter waiter;

    @BeforeAll
    static void start() throws Exception {
        runtime = TestEngine.open();
        berth = new BerthFixture();
        for (String zone : List.of("us-east-1a", "us-east-1b")) {
            AgentConfig config = AgentConfig.of(URI.create(berth.endpoint()), Files.createTempDirectory("berth-agent-"),
                            berth.server().credentials().accessKeyId(), berth.server().credentials().secretAccessKey())
                    .withStopTimeout(Duration.ofSeconds(2))
                    .withCleanupDelay(Duration.ofSeconds(2))
                    .withRelistInterval(Duration.ofSeconds(1))
                    .withHeartbeatInterval(Duration.ofSeconds(2))
                    .withRetry(Duration.ofMillis(100), Duration.ofSeconds(1))
                    .withAttributes(Map.of("ecs.availability-zone", zone))
                    .withPullBehavior(PullBehavior.PREFER_CACHED);
            Agent agent = Agent.start(config, runtime, new HttpServerChannel(config.serverUrl(), config.region(),
                    config.accessKeyId(), config.secretAccessKey(), InstantSource.system()), InstantSource.system(),
                    new Random());
            agents.add(agent);
            if (!agent.awaitRegistered(Duration.ofSeconds(30))) {
                throw new IllegalStateException("agent did not register");
            }
            instanceArns.add(agent.registered().orElseThrow().containerInstanceArn());
        }
        waiter = EcsWaiter.builder().client(ecs()).overrideConfiguration(WaiterOverrideConfiguration.builder()
                .waitTimeout(Duration.ofSeconds(60)).maxAttempts(400).backoffStrategyV2(
                        software.amazon.awssdk.retries.api.BackoffStrategy.fixedDelay(Duration.ofMillis(300)))
                .build()).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (runtime == null) {
            return;
        }
        try {
            for (String arn : ecs().listServices(l -> l.cluster("default")).serviceArns()) {
                ecs().deleteService(d -> d.service(arn).force(true));
            }
        } catch (RuntimeException ignored) {
            // best effort
        }
        waiter.close();
        agents.forEach(Agent::close);
        for (String arn : instanceArns) {
            for (ContainerState c : runtime.list(Map.of(AgentLabels.CONTAINER_INSTANCE, arn), Duration.ofSeconds(10))) {
                runtime.remove(c.id(), Duration.ofSeconds(30));
            }
        }
        runtime.close();
        berth.close();
    }

    private static EcsClient ecs() {
        return berth.ecs();
    }

    private static String register(String family, String image) {
        return ecs().registerTaskDefinition(r -> r.family(family).containerDefinitions(c -> c.name("web").image(image)
                .memory(32).healthCheck(h -> h.command("CMD-SHELL", "wget -qO- http://127.0.0.1:8080/health || exit 1")
                        .interval(5).timeout(2).retries(2)))).taskDefinition().taskDefinitionArn();
    }

    private static void awaitStable(String service) {
        waiter.waitUntilServicesStable(w -> w.services(service)).matched().response()
                .orElseThrow(() -> new AssertionError(service + " did not become stable"));
    }

    /** Stable (the waiter's test) and its one deployment COMPLETED: every task healthy. */
    private static void awaitCompleted(String service) {
        awaitStable(service);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> "COMPLETED".equals(
                describe(service).deployments().get(0).rolloutStateAsString()));
    }

    private static Service describe(String service) {
        return ecs().describeServices(d -> d.services(service)).services().get(0);
    }

    /** Every task of a service, stopped ones included. */
    private static List<Task> tasks(String service) {
        return tasks(service, Set.of());
    }

    /**
     * The service's tasks, those in {@code first} described first: DescribeTasks reads its tasks one
     * after the other, in the order asked, not all at one instant.
     */
    private static List<Task> tasks(String service, Set<String> first) {
        // a task stopped between the two listings is in both: count it once
        Set<String> listed = new java.util.LinkedHashSet<>(ecs().listTasks(l -> l.serviceName(service)).taskArns());
        listed.addAll(ecs().listTasks(l -> l.serviceName(service).desiredStatus(DesiredStatus.STOPPED)).taskArns());
        List<String> arns = new ArrayList<>(listed);
        arns.sort(java.util.Comparator.comparing(arn -> !first.contains(arn)));
        List<Task> result = new ArrayList<>();
        for (int i = 0; i < arns.size(); i += 100) {
            List<String> page = arns.subList(i, Math.min(arns.size(), i + 100));
            result.addAll(ecs().describeTasks(d -> d.tasks(page)).tasks());
        }
        return result;
    }

    private static void delete(String service) {
        ecs().deleteService(d -> d.service(service).force(true));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> tasks(service).stream().allMatch(t -> "STOPPED".equals(t.lastStatus())));
    }

    /**
     * Watches a service's tasks while a rollout runs: the fewest healthy and the most in flight seen.
     * Each sample reads the old tasks before the new ones. A sample is not one instant, but read in
     * that order it never shows fewer healthy tasks than there were when the old ones were read (new
     * tasks only become healthy meanwhile), nor more in flight than at some instant (every task
     * counted was listed before it was read).
     */
    private static final class Watch implements AutoCloseable {
        private final String service;
        private final Set<String> old;
        private final AtomicInteger fewestHealthy = new AtomicInteger(Integer.MAX_VALUE);
        private final AtomicInteger mostInFlight = new AtomicInteger();
        private volatile String fewestSample = "";
        private final Thread thread;
        private volatile boolean running = true;

        Watch(String service, Set<String> old) {
            this.service = service;
            this.old = old;
            thread = new Thread(this::loop, "watch-" + service);
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            while (running) {
                try {
                    List<Task> all = tasks(service, old);
                    int healthy = (int) all.stream().filter(t -> "RUNNING".equals(t.lastStatus())
                            && "RUNNING".equals(t.desiredStatus()) && "HEALTHY".equals(t.healthStatusAsString())).count();
                    int inFlight = (int) all.stream().filter(t -> !"STOPPED".equals(t.lastStatus())).count();
                    if (healthy < fewestHealthy.get()) {
                        fewestHealthy.set(healthy);
                        fewestSample = all.stream().map(t -> (old.contains(t.taskArn()) ? "old " : "new ")
                                + t.taskArn().substring(t.taskArn().lastIndexOf('/') + 1) + " " + t.lastStatus() + "/"
                                + t.desiredStatus() + " " + t.healthStatusAsString() + " " + t.stoppedReason())
                                .collect(Collectors.joining("; "));
                    }
                    mostInFlight.accumulateAndGet(inFlight, Math::max);
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // a failed poll is no observation
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(5_000);
        }
    }

    /**
     * Rolls a 4-task service from one revision to the next and checks that healthy tasks never fell
     * below the minimum nor tasks in flight rose above the maximum, and that every old task was
     * stopped only once as many new tasks had started.
     */
    private static void rollFourTasks(String service, int minimumPercent, int maximumPercent) throws Exception {
        String v1 = register(service, TestImages.HTTPD);
        ecs().createService(c -> c.serviceName(service).taskDefinition(v1).desiredCount(4)
                .deploymentConfiguration(d -> d.minimumHealthyPercent(minimumPercent).maximumPercent(maximumPercent)));
        awaitCompleted(service);
        Set<String> old = tasks(service).stream().filter(t -> "RUNNING".equals(t.lastStatus())).map(Task::taskArn)
                .collect(Collectors.toSet());
        assertThat(old).hasSize(4);
        String v2 = register(service, TestImages.HTTPD);
        try (Watch watch = new Watch(service, old)) {
            ecs().updateService(u -> u.service(service).taskDefinition(v2));
            Thread.sleep(300);
            awaitCompleted(service);
            watch.close();
            assertThat(watch.fewestHealthy.get()).as("fewest healthy tasks seen, in %s", watch.fewestSample)
                    .isGreaterThanOrEqualTo((int) Math.ceil(4 * minimumPercent / 100.0));
            assertThat(watch.mostInFlight.get()).as("most tasks in flight seen").isLessThanOrEqualTo(4 * maximumPercent / 100);
        }
        List<Task> all = tasks(service);
        List<Task> fresh = all.stream().filter(t -> t.taskDefinitionArn().equals(v2)).toList();
        assertThat(fresh.stream().filter(t -> "RUNNING".equals(t.lastStatus()) && "RUNNING".equals(t.desiredStatus())))
                .hasSize(4).allSatisfy(t -> assertThat(t.healthStatusAsString()).isEqualTo("HEALTHY"));
        List<Instant> oldStops = all.stream().filter(t -> old.contains(t.taskArn())).map(Task::stoppingAt)
                .sorted().toList();
        assertThat(oldStops).hasSize(4).doesNotContainNull();
        int allowedUnhealthy = 4 - (int) Math.ceil(4 * minimumPercent / 100.0);
        for (int k = 0; k < oldStops.size(); k++) {
            Instant stop = oldStops.get(k);
            long startedBefore = fresh.stream().filter(t -> t.startedAt() != null && t.startedAt().isBefore(stop)).count();
            assertThat(startedBefore).as("new tasks running before old task %d stopped", k + 1)
                    .isGreaterThanOrEqualTo(k + 1L - allowedUnhealthy);
        }
        Service done = describe(service);
        assertThat(done.deployments()).singleElement().satisfies(d -> assertThat(d.taskDefinition()).isEqualTo(v2));
        assertThat(done.runningCount()).isEqualTo(4);
        delete(service);
    }

    @Test
    void aFourTaskRolloutAt100And200KeepsEveryOldTaskUntilNewOnesAreHealthy() throws Exception {
        rollFourTasks("roll-100-200", 100, 200);
    }

    @Test
    void aFourTaskRolloutAt50And100ReplacesTwoAtATime() throws Exception {
        rollFourTasks("roll-50-100", 50, 100);
    }

    @Test
    void aRevisionWhoseImageIsMissingTripsTheCircuitBreakerAndRollsBack() {
        String service = "breaker";
        String good = register(service, TestImages.HTTPD);
        ecs().createService(c -> c.serviceName(service).taskDefinition(good).desiredCount(2)
                .deploymentConfiguration(d -> d.deploymentCircuitBreaker(b -> b.enable(true).rollback(true))));
        awaitCompleted(service);
        String goodDeployment = describe(service).deployments().get(0).id();
        String bad = register(service, MISSING_IMAGE);
        String badDeployment = ecs().updateService(u -> u.service(service).taskDefinition(bad)).service()
                .deployments().get(0).id();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> describe(service)
                .events().stream().anyMatch(e -> e.message().equals("(service " + service + ") (deployment "
                        + badDeployment + ") deployment failed: tasks failed to start.")));
        Service rolledBack = describe(service);
        assertThat(rolledBack.taskDefinition()).isEqualTo(good);
        assertThat(rolledBack.deployments().get(0).id()).isEqualTo(goodDeployment);
        List<Task> failed = tasks(service).stream().filter(t -> t.taskDefinitionArn().equals(bad)).toList();
        // A failed task is stopped by its start failure, or, when the rollback catches it still
        // pending, by the scheduler; at least the breaker's threshold failed to start.
        assertThat(failed).hasSizeGreaterThanOrEqualTo(3).allSatisfy(t ->
                assertThat(t.stopCodeAsString()).isIn("TaskFailedToStart", "ServiceSchedulerInitiated"));
        assertThat(failed.stream().filter(t -> "TaskFailedToStart".equals(t.stopCodeAsString())))
                .hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(t -> assertThat(t.stoppedReason()).contains("CannotPullContainerError"));
        awaitStable(service);
        assertThat(describe(service).deployments()).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(goodDeployment);
            assertThat(d.rolloutStateAsString()).isEqualTo("COMPLETED");
        });
        assertThat(tasks(service).stream().filter(t -> "RUNNING".equals(t.lastStatus())))
                .hasSize(2).allSatisfy(t -> assertThat(t.taskDefinitionArn()).isEqualTo(good));
        delete(service);
    }

    @Test
    void drainingAnInstanceMovesItsTasksToTheOther() {
        String service = "drain";
        String td = register(service, TestImages.HTTPD);
        ecs().createService(c -> c.serviceName(service).taskDefinition(td).desiredCount(2));
        awaitStable(service);
        String from = tasks(service).stream().filter(t -> "RUNNING".equals(t.lastStatus())).map(Task::containerInstanceArn)
                .min(Comparator.naturalOrder()).orElseThrow();
        String to = instanceArns.stream().filter(a -> !a.equals(from)).findFirst().orElseThrow();
        ecs().updateContainerInstancesState(u -> u.containerInstances(from).status(ContainerInstanceStatus.DRAINING));
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
                List<Task> live = tasks(service).stream().filter(t -> !"STOPPED".equals(t.lastStatus())).toList();
                return live.size() == 2 && live.stream().allMatch(t -> t.containerInstanceArn().equals(to)
                        && "HEALTHY".equals(t.healthStatusAsString()));
            });
            awaitStable(service);
            assertThat(runtime.list(Map.of(AgentLabels.CONTAINER_INSTANCE, from,
                    AgentLabels.TASK_DEFINITION_FAMILY, service), Duration.ofSeconds(10)).stream()
                    .filter(c -> c.running())).isEmpty();
        } finally {
            ecs().updateContainerInstancesState(u -> u.containerInstances(from).status(ContainerInstanceStatus.ACTIVE));
        }
        delete(service);
    }
}
