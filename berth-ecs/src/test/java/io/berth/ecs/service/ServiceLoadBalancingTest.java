package io.berth.ecs.service;

import static io.berth.ecs.service.ServiceEnv.json;
import static io.berth.ecs.service.ServiceEnv.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.agent.ContainerReport;
import io.berth.core.error.BerthException;
import io.berth.core.instance.ContainerInstance;
import io.berth.core.task.DesiredStatus;
import io.berth.core.task.Task;
import io.berth.core.task.TaskStatus;
import io.berth.ecs.agent.AgentSessions;
import io.berth.ecs.service.TargetRegistry.Target;
import io.berth.ecs.service.TargetRegistry.TargetState;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Services behind a load balancer, against a fake target registry, one scheduler pass at a time. */
class ServiceLoadBalancingTest {
    private ServiceEnv env;
    private FakeTargetRegistry lb;
    private String tg;
    private String instance;
    private String ec2;
    private final Map<String, Integer> ports = new ConcurrentHashMap<>();
    private final AtomicInteger nextPort = new AtomicInteger(32768);

    @BeforeEach
    void setUp() {
        ServiceEnv.MutableClock[] clock = new ServiceEnv.MutableClock[1];
        lb = new FakeTargetRegistry(() -> clock[0].instant());
        env = new ServiceEnv(lb);
        clock[0] = env.clock;
        tg = lb.group("web", "instance", true);
        instance = env.instance("us-east-1a", 8192, 8192);
        ec2 = env.instances.find(ServiceEnv.CLUSTER, instance).map(ContainerInstance::ec2InstanceId).orElseThrow();
        env.bindings = t -> List.of(new ContainerReport.NetworkBinding("127.0.0.1", 8080,
                ports.computeIfAbsent(t.id(), k -> nextPort.getAndIncrement()), "tcp"));
    }

    private String webDefinition(String image) {
        return env.definitionOps.register(env.ctx(), json("{'family':'web','containerDefinitions':[{'name':'app',"
                + "'image':'" + image + "','memory':128,'portMappings':[{'containerPort':8080,'hostPort':0}]}]}"))
                .get("taskDefinition").get("taskDefinitionArn").asText();
    }

    private void createService(int desired) {
        env.create("{'cluster':'work','serviceName':'api','taskDefinition':'web','desiredCount':" + desired
                + ",'loadBalancers':[{'targetGroupArn':'" + tg + "','containerName':'app','containerPort':8080}]}");
    }

    private Target targetOf(Task t) {
        return new Target(ec2, ports.get(t.id()));
    }

    /** Passes with agents that comply and a load balancer that finds every new target healthy. */
    private void settle(int rounds) {
        for (int i = 0; i < rounds; i++) {
            env.tick();
            env.agentsComply("UNKNOWN");
            lb.setState(tg, TargetState.HEALTHY);
            env.clock.advance(Duration.ofSeconds(1));
        }
    }

    @Test
    void runningTasksAreRegisteredAsTheirInstanceAndDynamicHostPort() {
        webDefinition("httpd");
        createService(2);
        env.tick();
        env.agentsComply("UNKNOWN");
        env.tick();
        List<Task> running = env.live("api");
        assertThat(lb.serving(tg)).containsExactlyInAnyOrderElementsOf(running.stream().map(this::targetOf).toList());
        assertThat(messages(env.describe("api")).get(0))
                .isEqualTo("(service api) registered 2 targets in (target-group " + tg + ")");
        assertThat(env.describe("api").path("roleArn").asText())
                .isEqualTo("arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS");
    }

    @Test
    void theServiceIsSteadyOnlyOnceItsTargetsAreHealthy() {
        webDefinition("httpd");
        createService(1);
        for (int i = 0; i < 5; i++) {
            env.tick();
            env.agentsComply("UNKNOWN");
            env.clock.advance(Duration.ofMinutes(1));
        }
        assertThat(env.service("api").steady()).as("target still INITIAL after minutes").isFalse();
        lb.setState(tg, TargetState.HEALTHY);
        env.tick();
        assertThat(env.service("api").steady()).isTrue();
    }

    @Test
    void aReplacedTaskDeactivatesWhileItsTargetDrainsAndStopsAfterTheDelay() {
        webDefinition("httpd");
        createService(2);
        settle(4);
        assertThat(env.service("api").steady()).isTrue();
        Set<String> old = env.live("api").stream().map(Task::id).collect(Collectors.toSet());
        webDefinition("httpd:2");
        env.update("{'cluster':'work','service':'api','taskDefinition':'web',"
                + "'deploymentConfiguration':{'minimumHealthyPercent':100,'maximumPercent':200}}");
        env.tick();
        env.agentsComply("UNKNOWN");
        env.tick();
        assertThat(lb.serving(tg)).as("new targets registered, old ones still serving").hasSize(4);
        env.tick();
        assertThat(old).allSatisfy(id -> assertThat(env.tasks.find(ServiceEnv.CLUSTER, id).orElseThrow().lastStatus())
                .as("the old stay until the new targets are healthy").isEqualTo(TaskStatus.RUNNING));
        lb.setState(tg, TargetState.HEALTHY);
        env.tick();
        for (String id : old) {
            Task t = env.tasks.find(ServiceEnv.CLUSTER, id).orElseThrow();
            assertThat(t.desiredStatus()).isEqualTo(DesiredStatus.STOPPED);
            assertThat(t.lastStatus()).isEqualTo(TaskStatus.DEACTIVATING);
            assertThat(AgentSessions.agentDesiredStatus(t)).as("its agent keeps it running").isEqualTo("RUNNING");
        }
        env.tick();
        assertThat(lb.serving(tg)).hasSize(2).noneMatch(t -> old.stream().anyMatch(id -> targetOf(
                env.tasks.find(ServiceEnv.CLUSTER, id).orElseThrow()).equals(t)));
        assertThat(messages(env.describe("api")))
                .contains("(service api) deregistered 2 targets in (target-group " + tg + ")");
        env.agentsComply("UNKNOWN");
        env.clock.advance(Duration.ofSeconds(5));
        env.tick();
        assertThat(old).allSatisfy(id -> assertThat(env.tasks.find(ServiceEnv.CLUSTER, id).orElseThrow().lastStatus())
                .as("the deregistration delay is not over").isEqualTo(TaskStatus.DEACTIVATING));
        env.clock.advance(Duration.ofSeconds(6));
        env.tick();
        assertThat(old).allSatisfy(id -> assertThat(env.tasks.find(ServiceEnv.CLUSTER, id).orElseThrow().lastStatus())
                .isEqualTo(TaskStatus.STOPPING));
        env.agentsComply("UNKNOWN");
        assertThat(old).allSatisfy(id -> assertThat(env.tasks.find(ServiceEnv.CLUSTER, id).orElseThrow().lastStatus())
                .isEqualTo(TaskStatus.STOPPED));
        settle(3);
        assertThat(env.service("api").steady()).isTrue();
        assertThat(env.describe("api").get("deployments")).hasSize(1);
    }

    @Test
    void aTargetFailingItsHealthChecksHasItsTaskReplacedAfterTheGracePeriod() {
        webDefinition("httpd");
        env.create("{'cluster':'work','serviceName':'api','taskDefinition':'web','desiredCount':1,"
                + "'healthCheckGracePeriodSeconds':30,'loadBalancers':[{'targetGroupArn':'" + tg
                + "','containerName':'app','containerPort':8080}]}");
        settle(3);
        Task first = env.live("api").get(0);
        lb.setState(tg, TargetState.UNHEALTHY);
        env.tick();
        assertThat(env.live("api")).as("within the grace period").extracting(Task::id).containsExactly(first.id());
        env.clock.advance(Duration.ofSeconds(40));
        env.tick();
        Task stopped = env.tasks.find(ServiceEnv.CLUSTER, first.id()).orElseThrow();
        assertThat(stopped.lastStatus()).isEqualTo(TaskStatus.DEACTIVATING);
        assertThat(stopped.stoppedReason()).isEqualTo("Task failed ELB health checks in (target-group " + tg + ")");
        assertThat(env.live("api")).hasSize(1).noneMatch(t -> t.id().equals(first.id()));
    }

    @Test
    void deletingTheServiceDeregistersEveryTargetBeforeItsTasksStop() {
        webDefinition("httpd");
        createService(2);
        settle(4);
        env.ops.deleteService(env.ctx(), json("{'cluster':'work','service':'api','force':true}"));
        env.tick();
        env.tick();
        assertThat(lb.serving(tg)).isEmpty();
        assertThat(env.service("api").status()).as("draining targets").isEqualTo(Service.Status.DRAINING);
        env.clock.advance(Duration.ofSeconds(11));
        env.tick();
        env.agentsComply("UNKNOWN");
        env.tick();
        assertThat(env.tasksOf("api", t -> true)).allSatisfy(t -> assertThat(t.stopped()).isTrue());
        assertThat(env.service("api").status()).isEqualTo(Service.Status.INACTIVE);
    }

    @Test
    void movingToAnotherTargetGroupRegistersTheNewTasksThereAndDrainsTheOldGroup() {
        webDefinition("httpd");
        createService(1);
        settle(3);
        Task old = env.live("api").get(0);
        String next = lb.group("next", "instance", true);
        env.update("{'cluster':'work','service':'api','loadBalancers':[{'targetGroupArn':'" + next
                + "','containerName':'app','containerPort':8080}]}");
        for (int i = 0; i < 4; i++) {
            env.tick();
            env.agentsComply("UNKNOWN");
            lb.setState(next, TargetState.HEALTHY);
        }
        Task fresh = env.live("api").get(0);
        assertThat(fresh.id()).isNotEqualTo(old.id());
        assertThat(lb.serving(next)).containsExactly(targetOf(fresh)).doesNotContain(targetOf(old));
        assertThat(lb.serving(tg)).as("the old group drains the old task").isEmpty();
        assertThat(lb.calls).contains("deregister [" + targetOf(old) + "]");
        env.clock.advance(Duration.ofSeconds(11));
        settle(3);
        assertThat(env.tasks.find(ServiceEnv.CLUSTER, old.id()).orElseThrow().stopped()).isTrue();
        assertThat(env.service("api").steady()).isTrue();
    }

    @Test
    void stopTaskOnAServiceTaskDrainsItsTargetFirst() {
        webDefinition("httpd");
        createService(1);
        settle(3);
        Task t = env.live("api").get(0);
        var taskOps = new io.berth.ecs.task.TaskOperations(env.tasks, env.tags, ServiceLoadBalancer.behind(env.services));
        var out = taskOps.stopTask(env.ctx(), json("{'cluster':'work','task':'" + t.id() + "'}"));
        assertThat(out.at("/task/lastStatus").asText()).isEqualTo("DEACTIVATING");
        assertThat(out.at("/task/desiredStatus").asText()).isEqualTo("STOPPED");
        env.tick();
        assertThat(lb.calls).contains("deregister [" + targetOf(t) + "]");
        env.clock.advance(Duration.ofSeconds(11));
        env.tick();
        env.agentsComply("UNKNOWN");
        Task stopped = env.tasks.find(ServiceEnv.CLUSTER, t.id()).orElseThrow();
        assertThat(stopped.lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(stopped.stopCode()).isEqualTo(io.berth.core.task.StopCode.UserInitiated);
    }

    @Test
    void aTaskThatExitsHasItsTargetDeregistered() {
        webDefinition("httpd");
        createService(1);
        settle(3);
        Task t = env.live("api").get(0);
        env.report(instance, List.of(env.stopped(env.tasks.arn(t), true, "EssentialContainerExited", null)));
        env.tick();
        assertThat(lb.calls).contains("deregister [" + targetOf(t) + "]");
    }

    @Test
    void aBrokenLoadBalancerIsReportedAsAnEventAndTriedAgain() {
        webDefinition("httpd");
        createService(1);
        lb.broken = true;
        env.tick();
        env.agentsComply("UNKNOWN");
        env.tick();
        assertThat(messages(env.describe("api")).get(0)).startsWith("(service api) failed to register targets in "
                + "(target-group " + tg + ")");
        lb.broken = false;
        env.tick();
        assertThat(lb.serving(tg)).hasSize(1);
    }

    @Test
    void createServiceChecksTheLoadBalancersAsEcsDoes() {
        webDefinition("httpd");
        String loose = lb.group("loose", "instance", false);
        String ip = lb.group("ips", "ip", true);
        Set<String> messages = new HashSet<>();
        for (String lbs : List.of(
                "[{'targetGroupArn':'" + tg.replace("web", "nope") + "','containerName':'app','containerPort':8080}]",
                "[{'targetGroupArn':'" + loose + "','containerName':'app','containerPort':8080}]",
                "[{'targetGroupArn':'" + tg + "','containerName':'db','containerPort':8080}]",
                "[{'targetGroupArn':'" + tg + "','containerName':'app','containerPort':9090}]",
                "[{'targetGroupArn':'" + ip + "','containerName':'app','containerPort':8080}]",
                "[{'targetGroupArn':'" + tg + "'}]")) {
            assertThatThrownBy(() -> env.create("{'cluster':'work','serviceName':'api','taskDefinition':'web',"
                    + "'desiredCount':1,'loadBalancers':" + lbs + "}"))
                    .isInstanceOfSatisfying(BerthException.class, e -> {
                        assertThat(e.code().name()).isEqualTo("INVALID_PARAMETER");
                        messages.add(e.getMessage());
                    });
        }
        assertThat(messages).containsExactlyInAnyOrder(
                "Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service "
                        + "role being passed has the proper permissions.",
                "The target group with targetGroupArn " + loose + " does not have an associated load balancer.",
                "The container db does not exist in the task definition.",
                "The container app did not have a container port 9090 defined.",
                "The provided target group " + ip + " has target type ip, which is incompatible with the bridge "
                        + "network mode specified in the task definition.",
                "containerName and containerPort must be specified for the load balancer with target group " + tg
                        + ".");
    }

    @Test
    void updateServiceChecksTheNewTaskDefinitionAgainstTheLoadBalancers() {
        webDefinition("httpd");
        createService(1);
        env.definitionOps.register(env.ctx(), json("{'family':'web','containerDefinitions':[{'name':'other',"
                + "'image':'httpd','memory':128}]}"));
        assertThatThrownBy(() -> env.update("{'cluster':'work','service':'api','taskDefinition':'web'}"))
                .hasMessage("The container app does not exist in the task definition.");
    }
}
