package io.berth.ecs.service;

import static io.berth.ecs.service.ServiceEnv.json;
import static io.berth.ecs.service.ServiceEnv.messages;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.task.StopCode;
import io.berth.core.task.Task;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The service scheduler on an in-memory store, one pass at a time, with agents that do as told. */
class ServiceSchedulerTest {
    private final ServiceEnv env = new ServiceEnv();

    @Test
    void aNewServiceStartsItsTasksAndReachesASteadyState() {
        env.register("web", "httpd", true);
        env.instance("us-east-1a", 4096, 4096);
        env.create("{'cluster':'work','serviceName':'api','taskDefinition':'web','desiredCount':2}");
        env.tick();
        List<Task> started = env.live("api");
        assertThat(started).hasSize(2).allSatisfy(t -> {
            assertThat(t.group()).isEqualTo("service:api");
            assertThat(t.startedBy()).isEqualTo(env.service("api").primary().id());
        });
        JsonNode pending = env.describe("api");
        assertThat(pending.get("pendingCount").asInt()).isEqualTo(2);
        assertThat(messages(pending).get(0)).startsWith("(service api) has started 2 tasks: (task ");
        env.agentsComply("HEALTHY");
        env.tick();
        JsonNode steady = env.describe("api");
        assertThat(steady.get("runningCount").asInt()).isEqualTo(2);
        assertThat(steady.get("deployments")).singleElement().satisfies(d -> {
            assertThat(d.get("rolloutState").asText()).isEqualTo("COMPLETED");
            assertThat(d.get("runningCount").asInt()).isEqualTo(2);
        });
        String id = steady.at("/deployments/0/id").asText();
        assertThat(messages(steady)).startsWith("(service api) has reached a steady state.",
                "(service api) (deployment " + id + ") deployment completed.");
        env.tick();
        assertThat(messages(env.describe("api"))).hasSize(3).as("a quiet pass says nothing");
    }

    @Test
    void aStoppedTaskIsReplaced() {
        env.register("web", "httpd", true);
        String instance = env.instance("us-east-1a", 4096, 4096);
        env.create("{'cluster':'work','serviceName':'api','taskDefinition':'web','desiredCount':1}");
        env.runUntil(() -> env.service("api").steady(), 10);
        Task first = env.live("api").get(0);
        env.report(instance, List.of(env.stopped(env.tasks.arn(first), true, "EssentialContainerExited",
                "Essential container in task exited")));
        env.tick();
        assertThat(env.live("api")).singleElement().satisfies(t -> assertThat(t.id()).isNotEqualTo(first.id()));
    }

    @Test
    void aRollingUpdateStopsOldTasksOnlyOnceNewOnesAreHealthy() {
        env.register("web", "httpd", true);
        env.instance("us-east-1a", 8192, 8192);
        env.create("{'cluster':'work','serviceName':'api','taskDefinition':'web','desiredCount':4}");
        env.runUntil(() -> env.service("api").steady(), 10);
        Set<String> old = env.live("api").stream().map(Task::id).collect(Collectors.toSet());
        env.register("web", "httpd:2", true);
        env.update("{'cluster':'work','service':'api','taskDefinition':'web'}");
        env.tick();
        assertThat(env.live("api")).hasSize(8);
        env.agents(t -> t.lastStatus() != io.berth.core.task.TaskStatus.RUNNING, "UNKNOWN");
        env.tick();
        assertThat(env.live("api")).as("new tasks RUNNING but not yet healthy: the old stay").hasSize(8);
        env.agentsComply("HEALTHY");
        env.tick();
        assertThat(env.live("api")).hasSize(4).noneMatch(t -> old.contains(t.id()));
        Task stoppedOld = env.tasks.find(ServiceEnv.CLUSTER, old.iterator().next()).orElseThrow();
        assertThat(stoppedOld.stopCode()).isEqualTo(StopCode.ServiceSchedulerInitiated);
        assertThat(stoppedOld.stoppedReason()).startsWith("Scaling activity initiated by (deployment ecs-svc/");
        env.runUntil(() -> env.service("api").steady(), 10);
        JsonNode done = env.describe("api");
        assertThat(done.get("deployments")).hasSize(1);
        assertThat(done.get("runningCount").asInt()).isEqualTo(4);
        assertThat(messages(done)).anyMatch(m -> m.matches("\\(service api\\) has stopped 4 running tasks: .*"));
    }

    @Test
    void scalingChangesTheCountWithoutANewDeployment() {
        env.register("web", "httpd", true);
        env.instance("us-east-1a", 8192, 8192);
        env.create("{'cluster':'work','serviceName':'api','taskDefinition':'web','desiredCount':3}");
        env.runUntil(() -> env.service("api").steady(), 10);
        String deployment = env.service("api").primary().id();
        env.update("{'cluster':'work','service':'api','desiredCount':1}");
        env.runUntil(() -> env.service("api").steady(), 10);
        assertThat(env.live("api")).hasSize(1);
        assertThat(env.service("api").deployments()).singleElement()
                .satisfies(d -> assertThat(d.id()).isEqualTo(deployment));
    }

    @Test
    void aRevisionThatCannotStartTripsTheBreakerAndRollsBack() {
        env.register("web", "httpd", true);
        env.instance("us-east-1a", 8192, 8192);
        env.create("{'cluster':'work','serviceName':'api','taskDefinition':'web','desiredCount':2,"
                + "'deploymentConfiguration':{'deploymentCircuitBreaker':{'enable':true,'rollback':true}}}");
        env.runUntil(() -> env.service("api").steady(), 10);
        String good = env.service("api").primary().id();
        String goodDefinition = env.service("api").taskDefinition();
        env.register("web", "127.0.0.1:1/nope:1", true);
        env.update("{'cluster':'work','service':'api','taskDefinition':'web'}");
        String broken = env.service("api").primary().id();
        for (int i = 0; i < 10 && env.service("api").primary().id().equals(broken); i++) {
            env.tick();
            for (Task t : env.live("api")) {
                if (t.startedBy().equals(broken)) {
                    env.failToStart(t, "CannotPullContainerError: pull access denied");
                }
            }
        }
        Service rolledBack = env.service("api");
        assertThat(rolledBack.primary().id()).isEqualTo(good);
        assertThat(rolledBack.taskDefinition()).isEqualTo(goodDefinition);
        JsonNode described = env.describe("api");
        assertThat(described.at("/deployments/0/rolloutStateReason").asText())
                .isEqualTo("ECS deployment circuit breaker: rolling back to deploymentId " + good + ".");
        assertThat(described.at("/deployments/1/rolloutState").asText()).isEqualTo("FAILED");
        assertThat(described.at("/deployments/1/failedTasks").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(messages(described)).contains("(service api) (deployment " + broken
                + ") deployment failed: tasks failed to start.");
        env.runUntil(() -> env.service("api").steady(), 10);
        assertThat(env.live("api")).hasSize(2).allSatisfy(t -> assertThat(t.startedBy()).isEqualTo(good));
    }

    @Test
    void tasksOnADrainingInstanceMoveButStandaloneTasksStay() {
        env.register("web", "httpd", true);
        String a = env.instance("us-east-1a", 4096, 4096);
        env.create("{'cluster':'work','serviceName':'api','taskDefinition':'web','desiredCount':2}");
        env.runUntil(() -> env.service("api").steady(), 10);
        String b = env.instance("us-east-1b", 4096, 4096);
        Task standalone = env.tasks.run(new io.berth.ecs.task.RunRequest(ServiceEnv.CLUSTER, "web", 1, null, null, "{}",
                List.of(), null, null, List.of(a))).tasks().get(0);
        env.instances.update(ServiceEnv.CLUSTER, a, i -> i.withStatus("DRAINING"));
        env.tick();
        env.runUntil(() -> env.service("api").steady(), 10);
        assertThat(env.live("api")).hasSize(2).allSatisfy(t -> assertThat(t.containerInstanceId()).isEqualTo(b));
        assertThat(env.tasks.find(ServiceEnv.CLUSTER, standalone.id()).orElseThrow().desiredStatus().name())
                .isEqualTo("RUNNING");
    }

    @Test
    void tasksSpreadAcrossZonesByDefaultOrAsThePlacementStrategySays() {
        env.register("web", "httpd", true);
        String a = env.instance("us-east-1a", 4096, 4096);
        String b = env.instance("us-east-1b", 4096, 4096);
        env.create("{'cluster':'work','serviceName':'spread','taskDefinition':'web','desiredCount':4}");
        env.create("{'cluster':'work','serviceName':'packed','taskDefinition':'web','desiredCount':4,"
                + "'placementStrategy':[{'type':'binpack','field':'memory'}]}");
        env.tick();
        assertThat(env.live("spread").stream().filter(t -> t.containerInstanceId().equals(a))).hasSize(2);
        assertThat(env.live("spread").stream().filter(t -> t.containerInstanceId().equals(b))).hasSize(2);
        assertThat(env.live("packed").stream().map(Task::containerInstanceId).distinct()).hasSize(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> env.create("{'cluster':'work','serviceName':'bad',"
                + "'taskDefinition':'web','desiredCount':1,'placementStrategy':[{'type':'binpack'}]}"))
                .hasMessageContaining("binpack");
    }

    @Test
    void anUnplaceableTaskIsAnEventSaidOnce() {
        env.register("web", "httpd", true);
        env.instance("us-east-1a", 256, 200);
        env.create("{'cluster':'work','serviceName':'api','taskDefinition':'web','desiredCount':3}");
        env.tick();
        env.tick();
        List<String> said = messages(env.describe("api"));
        assertThat(said).filteredOn(m -> m.contains("was unable to place a task")).singleElement()
                .satisfies(m -> assertThat(m).startsWith("(service api) was unable to place a task because no "
                        + "container instance met all of its requirements. The closest matching (container-instance ")
                        .contains("has insufficient"));
        assertThat(env.live("api")).hasSize(1);
    }

    @Test
    void unhealthyTasksAreReplacedAfterTheGracePeriod() {
        env.register("web", "httpd", true);
        env.instance("us-east-1a", 4096, 4096);
        env.create("{'cluster':'work','serviceName':'api','taskDefinition':'web','desiredCount':1,"
                + "'healthCheckGracePeriodSeconds':60}");
        env.runUntil(() -> env.service("api").steady(), 10);
        Task sick = env.live("api").get(0);
        env.agentsComply("UNHEALTHY");
        env.tick();
        assertThat(env.live("api")).containsExactly(env.tasks.find(ServiceEnv.CLUSTER, sick.id()).orElseThrow());
        env.clock.advance(Duration.ofSeconds(60));
        env.tick();
        Task stopped = env.tasks.find(ServiceEnv.CLUSTER, sick.id()).orElseThrow();
        assertThat(stopped.stoppedReason()).isEqualTo("Task failed container health checks");
        assertThat(env.live("api")).singleElement().satisfies(t -> assertThat(t.id()).isNotEqualTo(sick.id()));
    }

    @Test
    void aDaemonServiceRunsOneTaskOnEachActiveInstance() {
        env.register("agent", "busybox", false);
        String a = env.instance("us-east-1a", 1024, 1024);
        String b = env.instance("us-east-1b", 1024, 1024);
        env.create("{'cluster':'work','serviceName':'logs','taskDefinition':'agent','schedulingStrategy':'DAEMON'}");
        env.tick();
        assertThat(env.live("logs").stream().map(Task::containerInstanceId)).containsExactlyInAnyOrder(a, b);
        String c = env.instance("us-east-1c", 1024, 1024);
        env.agentsComply("UNKNOWN");
        env.tick();
        assertThat(env.live("logs").stream().map(Task::containerInstanceId)).containsExactlyInAnyOrder(a, b, c);
        assertThat(env.describe("logs").get("desiredCount").asInt()).isEqualTo(3);
        env.instances.update(ServiceEnv.CLUSTER, b, i -> i.withStatus("DRAINING"));
        env.tick();
        assertThat(env.live("logs").stream().map(Task::containerInstanceId)).containsExactlyInAnyOrder(a, c);
    }

    @Test
    void aDeletedServiceDrainsThenBecomesInactive() {
        env.register("web", "httpd", true);
        env.instance("us-east-1a", 4096, 4096);
        env.create("{'cluster':'work','serviceName':'api','taskDefinition':'web','desiredCount':2}");
        env.runUntil(() -> env.service("api").steady(), 10);
        JsonNode deleted = env.ops.deleteService(env.ctx(), json("{'cluster':'work','service':'api','force':true}"))
                .get("service");
        assertThat(deleted.get("status").asText()).isEqualTo("DRAINING");
        assertThat(deleted.get("desiredCount").asInt()).isZero();
        env.tick();
        assertThat(env.service("api").status()).isEqualTo(Service.Status.INACTIVE);
        assertThat(env.live("api")).isEmpty();
        assertThat(env.describe("api").get("status").asText()).isEqualTo("INACTIVE");
    }

    @Test
    void aPassAfterACrashDoesNothingTwice() {
        env.register("web", "httpd", true);
        env.instance("us-east-1a", 8192, 8192);
        env.create("{'cluster':'work','serviceName':'api','taskDefinition':'web','desiredCount':3}");
        env.tick();
        env.tick();
        env.tick();
        assertThat(env.live("api")).hasSize(3);
        Set<String> ids = new HashSet<>();
        env.live("api").forEach(t -> ids.add(t.id()));
        new ServiceController(env.store, env.services, env.tasks, env.definitions, env.tags, env.clock,
                Duration.ofSeconds(40)).reconcileAll();
        assertThat(env.live("api")).extracting(Task::id).containsExactlyInAnyOrderElementsOf(ids);
    }
}
