package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.berth.core.agent.ContainerReport;
import io.berth.core.agent.DesiredState;
import io.berth.core.agent.DesiredTask;
import io.berth.core.agent.Registered;
import io.berth.core.agent.TaskReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterContainsServicesException;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.SchedulingStrategy;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.ServiceNotActiveException;
import software.amazon.awssdk.services.ecs.model.ServiceNotFoundException;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.waiters.EcsWaiter;

/**
 * Services through the AWS SDK against a real server, with scripted agents over the real agent
 * channel that run every task they are given (RUNNING and HEALTHY) unless its image is
 * {@value #MISSING_IMAGE}, which fails to start.
 */
class ServicesIT {
    static final String MISSING_IMAGE = "127.0.0.1:1/nope:1";
    private static BerthFixture berth;
    private EcsClient ecs;
    private EcsWaiter waiter;
    private final List<CompliantAgent> agents = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        berth = new BerthFixture();
    }

    @AfterAll
    static void stop() throws Exception {
        berth.close();
    }

    /** A family of its own per test: task definition ARNs repeat after a reset, and agents cache them. */
    private String family;

    @BeforeEach
    void clean(org.junit.jupiter.api.TestInfo info) throws Exception {
        family = "web-" + info.getTestMethod().orElseThrow().getName().hashCode() % 10_000;
        berth.reset();
        ecs = berth.ecs();
        waiter = EcsWaiter.builder().client(ecs).overrideConfiguration(WaiterOverrideConfiguration.builder()
                .waitTimeout(Duration.ofSeconds(30)).maxAttempts(400).backoffStrategyV2(
                        software.amazon.awssdk.retries.api.BackoffStrategy.fixedDelay(Duration.ofMillis(250)))
                .build()).build();
        ecs.createCluster(r -> r.clusterName("work"));
        register(family, "berth-test/httpd:1");
    }

    @AfterEach
    void stopAgents() {
        agents.forEach(CompliantAgent::close);
        agents.clear();
        waiter.close();
    }

    private String register(String family, String image) {
        return ecs.registerTaskDefinition(r -> r.family(family).containerDefinitions(c -> c.name("web").image(image)
                .memory(64).cpu(64).healthCheck(h -> h.command("CMD-SHELL", "true")))).taskDefinition()
                .taskDefinitionArn();
    }

    private CompliantAgent agent(String zone) throws Exception {
        CompliantAgent agent = new CompliantAgent(new ScriptedAgent(berth.endpoint(),
                berth.server().credentials().accessKeyId(), berth.server().credentials().secretAccessKey()), zone);
        agents.add(agent);
        return agent;
    }

    private Service describe(String name) {
        return ecs.describeServices(d -> d.cluster("work").services(name)).services().get(0);
    }

    private void awaitStable(String name) {
        waiter.waitUntilServicesStable(w -> w.cluster("work").services(name)).matched().response()
                .orElseThrow(() -> new AssertionError("not stable"));
    }

    private List<Task> liveTasks(String name) {
        List<String> arns = ecs.listTasks(l -> l.cluster("work").serviceName(name)).taskArns();
        return arns.isEmpty() ? List.of()
                : ecs.describeTasks(d -> d.cluster("work").tasks(arns)).tasks();
    }

    @Test
    void aServiceRunsItsTasksAndTheWaiterSeesItStable() throws Exception {
        agent("us-east-1a");
        Service created = ecs.createService(c -> c.cluster("work").serviceName("api").taskDefinition(family)
                .desiredCount(2).tags(t -> t.key("team").value("core"))).service();
        assertThat(created.serviceArn()).isEqualTo("arn:aws:ecs:us-east-1:000000000000:service/work/api");
        assertThat(created.deployments()).singleElement().satisfies(d -> {
            assertThat(d.id()).matches("ecs-svc/\\d+");
            assertThat(d.rolloutStateAsString()).isEqualTo("IN_PROGRESS");
        });
        awaitStable("api");
        await().atMost(Duration.ofSeconds(10)).until(() -> describe("api").deployments().get(0)
                .rolloutStateAsString().equals("COMPLETED"));
        Service stable = describe("api");
        assertThat(stable.runningCount()).isEqualTo(2);
        assertThat(stable.events().get(0).message()).isEqualTo("(service api) has reached a steady state.");
        assertThat(stable.events()).anySatisfy(e -> assertThat(e.message())
                .matches("\\(service api\\) has started 2 tasks: \\(task [0-9a-f]+\\) \\(task [0-9a-f]+\\)\\."));
        assertThat(liveTasks("api")).hasSize(2).allSatisfy(t -> {
            assertThat(t.group()).isEqualTo("service:api");
            assertThat(t.startedBy()).isEqualTo(stable.deployments().get(0).id());
        });
        assertThat(ecs.listServices(l -> l.cluster("work")).serviceArns()).containsExactly(created.serviceArn());
        assertThat(ecs.listServices(l -> l.cluster("work").schedulingStrategy(SchedulingStrategy.DAEMON))
                .serviceArns()).isEmpty();
        assertThat(ecs.describeServices(d -> d.cluster("work").services("api").include(ServiceField.TAGS))
                .services().get(0).tags()).hasSize(1);
        assertThat(ecs.listTagsForResource(l -> l.resourceArn(created.serviceArn())).tags()).hasSize(1);
        assertThat(ecs.describeClusters(d -> d.clusters("work")).clusters().get(0).activeServicesCount()).isOne();
        assertThatThrownBy(() -> ecs.deleteCluster(d -> d.cluster("work")))
                .isInstanceOf(ClusterContainsServicesException.class);
    }

    @Test
    void scalingKeepsTheDeploymentAndANewRevisionRollsOut() throws Exception {
        agent("us-east-1a");
        ecs.createService(c -> c.cluster("work").serviceName("api").taskDefinition(family).desiredCount(2));
        awaitStable("api");
        String first = describe("api").deployments().get(0).id();
        ecs.updateService(u -> u.cluster("work").service("api").desiredCount(3));
        awaitStable("api");
        assertThat(describe("api").deployments()).singleElement().satisfies(d -> assertThat(d.id()).isEqualTo(first));
        assertThat(describe("api").runningCount()).isEqualTo(3);

        String v2 = register(family, "berth-test/httpd:1");
        Service updating = ecs.updateService(u -> u.cluster("work").service("api").taskDefinition(family)).service();
        assertThat(updating.deployments()).hasSize(2);
        assertThat(updating.deployments().get(0).taskDefinition()).isEqualTo(v2);
        assertThat(updating.deployments().get(1).status()).isEqualTo("ACTIVE");
        awaitStable("api");
        Service done = describe("api");
        assertThat(done.deployments()).singleElement().satisfies(d -> assertThat(d.taskDefinition()).isEqualTo(v2));
        assertThat(liveTasks("api")).hasSize(3).allSatisfy(t -> assertThat(t.taskDefinitionArn()).isEqualTo(v2));
        assertThat(done.events()).anySatisfy(e -> assertThat(e.message())
                .matches("\\(service api\\) has stopped 3 running tasks: .*|\\(service api\\) has stopped \\d running tasks: .*"));
    }

    @Test
    void aRevisionThatCannotStartTripsTheCircuitBreakerAndRollsBack() throws Exception {
        agent("us-east-1a");
        ecs.createService(c -> c.cluster("work").serviceName("api").taskDefinition(family).desiredCount(2)
                .deploymentConfiguration(d -> d.deploymentCircuitBreaker(b -> b.enable(true).rollback(true))));
        awaitStable("api");
        String good = describe("api").deployments().get(0).id();
        String goodDefinition = describe("api").taskDefinition();
        register(family, MISSING_IMAGE);
        String broken = ecs.updateService(u -> u.cluster("work").service("api").taskDefinition(family)).service()
                .deployments().get(0).id();
        await().atMost(Duration.ofSeconds(20)).until(() -> describe("api").events().stream().anyMatch(e -> e.message()
                .equals("(service api) (deployment " + broken + ") deployment failed: tasks failed to start.")));
        Service rolling = describe("api");
        assertThat(rolling.deployments().get(0).id()).isEqualTo(good);
        assertThat(rolling.taskDefinition()).isEqualTo(goodDefinition);
        assertThat(rolling.events()).anySatisfy(e -> assertThat(e.message())
                .isEqualTo("(service api) rolling back to deployment " + good + "."));
        assertThat(ecs.listTasks(l -> l.cluster("work").desiredStatus(DesiredStatus.STOPPED)).taskArns())
                .hasSizeGreaterThanOrEqualTo(3);
        awaitStable("api");
        assertThat(describe("api").deployments()).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(good);
            assertThat(d.rolloutStateAsString()).isEqualTo("COMPLETED");
        });
    }

    @Test
    void drainingAnInstanceMovesItsServiceTasks() throws Exception {
        CompliantAgent a = agent("us-east-1a");
        ecs.createService(c -> c.cluster("work").serviceName("api").taskDefinition(family).desiredCount(2));
        awaitStable("api");
        CompliantAgent b = agent("us-east-1b");
        ecs.updateContainerInstancesState(u -> u.cluster("work").containerInstances(a.arn())
                .status(ContainerInstanceStatus.DRAINING));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            List<Task> live = liveTasks("api");
            return live.size() == 2 && live.stream().allMatch(t -> t.containerInstanceArn().equals(b.arn())
                    && "RUNNING".equals(t.lastStatus()));
        });
        awaitStable("api");
    }

    @Test
    void deletingDrainsTheServiceAndErrorsAreAws() throws Exception {
        agent("us-east-1a");
        ecs.createService(c -> c.cluster("work").serviceName("api").taskDefinition(family).desiredCount(1));
        awaitStable("api");
        assertThatThrownBy(() -> ecs.deleteService(d -> d.cluster("work").service("api")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("The service cannot be stopped while it is scaled above 0.");
        assertThatThrownBy(() -> ecs.updateService(u -> u.cluster("work").service("ghost").desiredCount(1)))
                .isInstanceOf(ServiceNotFoundException.class);
        Service draining = ecs.deleteService(d -> d.cluster("work").service("api").force(true)).service();
        assertThat(draining.status()).isEqualTo("DRAINING");
        assertThat(ecs.listServices(l -> l.cluster("work")).serviceArns()).isEmpty();
        assertThatThrownBy(() -> ecs.updateService(u -> u.cluster("work").service("api").desiredCount(1)))
                .isInstanceOf(ServiceNotActiveException.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> "INACTIVE".equals(describe("api").status()));
        await().atMost(Duration.ofSeconds(20)).until(() -> ecs.listTasks(l -> l.cluster("work")
                .desiredStatus(DesiredStatus.RUNNING)).taskArns().isEmpty());
        assertThat(ecs.describeServices(d -> d.cluster("work").services("ghost")).failures()).singleElement()
                .satisfies(f -> assertThat(f.reason()).isEqualTo("MISSING"));
    }

    /**
     * A scripted agent on a thread of its own that does what the server asks: it reports each task
     * RUNNING and HEALTHY (or, for {@value #MISSING_IMAGE}, STOPPED as failed to start), and each
     * task asked to stop STOPPED.
     */
    static final class CompliantAgent implements AutoCloseable {
        private final ScriptedAgent agent;
        private final Registered registered;
        private final Thread thread;
        private final Set<String> reported = ConcurrentHashMap.newKeySet();
        private volatile boolean running = true;

        CompliantAgent(ScriptedAgent agent, String zone) throws Exception {
            this.agent = agent;
            this.registered = agent.register("work", 4096, 4096, Map.of("ecs.availability-zone", zone));
            agent.report();
            thread = new Thread(this::loop, "compliant-agent-" + zone);
            thread.setDaemon(true);
            thread.start();
        }

        String arn() {
            return registered.containerInstanceArn();
        }

        private void loop() {
            long version = 0;
            while (running) {
                try {
                    Optional<DesiredState> desired = agent.desired(version, 1);
                    if (desired.isEmpty()) {
                        agent.report();
                        continue;
                    }
                    version = desired.get().version();
                    List<TaskReport> reports = new ArrayList<>();
                    for (DesiredTask t : desired.get().tasks()) {
                        String state = t.desiredStatus() + "/" + t.taskArn();
                        if (!reported.add(state)) {
                            continue;
                        }
                        if (t.stopRequested()) {
                            reports.add(ScriptedAgent.stopped(t.taskArn(), "web", 143, null, null));
                        } else if (t.taskDefinitionJson().contains(MISSING_IMAGE)) {
                            reports.add(new TaskReport(t.taskArn(), "STOPPED", "UNKNOWN", Instant.now(), null, null,
                                    Instant.now(), "TaskFailedToStart", "CannotPullContainerError: pull access denied",
                                    List.of(new ContainerReport("web", null, "STOPPED", null,
                                            "CannotPullContainerError: pull access denied", List.of(), "UNKNOWN",
                                            null))));
                        } else {
                            Instant now = Instant.now();
                            reports.add(new TaskReport(t.taskArn(), "RUNNING", "HEALTHY", now, now, now, null, null,
                                    null, List.of(new ContainerReport("web", "c0ffee", "RUNNING", null, null,
                                    List.of(), "HEALTHY", null))));
                        }
                    }
                    if (!reports.isEmpty()) {
                        agent.report(reports.toArray(TaskReport[]::new));
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    if (running) {
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException ie) {
                            return;
                        }
                    }
                }
            }
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
        }
    }
}
