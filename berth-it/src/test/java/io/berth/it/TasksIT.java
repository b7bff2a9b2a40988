package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.agent.DesiredState;
import io.berth.core.agent.DesiredTask;
import io.berth.core.agent.Registered;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/** The server's side of tasks and container instances, with a scripted agent over the real channel. */
class TasksIT {
    private static BerthFixture berth;
    private EcsClient ecs;
    private ScriptedAgent agent;

    @BeforeAll
    static void start() throws Exception {
        berth = new BerthFixture();
    }

    @AfterAll
    static void stop() throws Exception {
        berth.close();
    }

    @BeforeEach
    void clean() throws Exception {
        berth.reset();
        ecs = berth.ecs();
        ecs.createCluster(r -> r.clusterName("work"));
        agent = new ScriptedAgent(berth.endpoint(), berth.server().credentials().accessKeyId(),
                berth.server().credentials().secretAccessKey());
        ecs.registerTaskDefinition(r -> r.family("web").containerDefinitions(c -> c.name("web").image("berth-test/httpd:1")
                .memory(256).cpu(128).portMappings(p -> p.containerPort(8080))));
        ecs.registerTaskDefinition(r -> r.family("fixed").containerDefinitions(c -> c.name("web").image("berth-test/httpd:1")
                .memory(64).portMappings(p -> p.containerPort(8080).hostPort(18080))));
    }

    @Test
    void registeredInstanceShowsItsResourcesAndAttributes() throws Exception {
        Registered r = agent.register("work", 2048, 1024, Map.of("ecs.availability-zone", "us-east-1a", "disk", "ssd"));
        assertThat(r.containerInstanceArn()).startsWith("arn:aws:ecs:us-east-1:000000000000:container-instance/work/");
        assertThat(r.ec2InstanceId()).matches("i-[0-9a-f]{17}");
        ContainerInstance ci = ecs.describeContainerInstances(d -> d.cluster("work")
                .containerInstances(r.containerInstanceArn())).containerInstances().get(0);
        assertThat(ci.agentConnected()).isTrue();
        assertThat(ci.status()).isEqualTo("ACTIVE");
        assertThat(ci.ec2InstanceId()).isEqualTo(r.ec2InstanceId());
        assertThat(resource(ci.registeredResources(), "CPU").integerValue()).isEqualTo(2048);
        assertThat(resource(ci.remainingResources(), "MEMORY").integerValue()).isEqualTo(1024);
        assertThat(resource(ci.registeredResources(), "PORTS").stringSetValue()).contains("22");
        assertThat(ci.attributes()).anySatisfy(a -> assertThat(a.name()).isEqualTo("disk"));
        assertThat(ecs.listContainerInstances(l -> l.cluster("work")).containerInstanceArns())
                .containsExactly(r.containerInstanceArn());
        assertThat(ecs.describeClusters(d -> d.clusters("work")).clusters().get(0).registeredContainerInstancesCount())
                .isEqualTo(1);

        ecs.putAttributes(p -> p.cluster("work").attributes(a -> a.name("stack").value("prod")
                .targetId(r.containerInstanceArn())));
        assertThat(ecs.listAttributes(l -> l.cluster("work").targetType("container-instance").attributeName("stack"))
                .attributes()).singleElement().satisfies(a -> assertThat(a.value()).isEqualTo("prod"));
        ecs.deleteAttributes(p -> p.cluster("work").attributes(a -> a.name("stack").targetId(r.containerInstanceArn())));
        assertThat(ecs.listAttributes(l -> l.cluster("work").targetType("container-instance").attributeName("stack"))
                .attributes()).isEmpty();

        ContainerInstance draining = ecs.updateContainerInstancesState(u -> u.cluster("work")
                .containerInstances(r.containerInstanceArn()).status(ContainerInstanceStatus.DRAINING))
                .containerInstances().get(0);
        assertThat(draining.status()).isEqualTo("DRAINING");
        assertThat(ecs.listContainerInstances(l -> l.cluster("work").status(ContainerInstanceStatus.DRAINING))
                .containerInstanceArns()).hasSize(1);
    }

    @Test
    void aTaskWalksTheLifecycleAsItsAgentReports() throws Exception {
        Registered r = agent.register("work", 2048, 1024, Map.of("ecs.availability-zone", "us-east-1b"));
        RunTaskResponse run = ecs.runTask(t -> t.cluster("work").taskDefinition("web").startedBy("it")
                .tags(g -> g.key("k").value("v")));
        assertThat(run.failures()).isEmpty();
        Task task = run.tasks().get(0);
        assertThat(task.lastStatus()).isEqualTo("PENDING");
        assertThat(task.desiredStatus()).isEqualTo("RUNNING");
        assertThat(task.group()).isEqualTo("family:web");
        assertThat(task.containerInstanceArn()).isEqualTo(r.containerInstanceArn());
        assertThat(task.availabilityZone()).isEqualTo("us-east-1b");
        assertThat(task.containers()).singleElement().satisfies(c -> assertThat(c.lastStatus()).isEqualTo("PENDING"));

        DesiredState desired = agent.desired(1, 5).orElseThrow();
        assertThat(desired.tasks()).singleElement().satisfies(d -> {
            assertThat(d.taskArn()).isEqualTo(task.taskArn());
            assertThat(d.desiredStatus()).isEqualTo("RUNNING");
            assertThat(d.taskDefinitionJson()).contains("\"image\":\"berth-test/httpd:1\"");
        });
        assertThat(resource(instance(r).remainingResources(), "MEMORY").integerValue()).isEqualTo(1024 - 256);

        agent.report(ScriptedAgent.running(task.taskArn(), "web", 32768));
        Task running = describe(task.taskArn());
        assertThat(running.lastStatus()).isEqualTo("RUNNING");
        assertThat(running.startedAt()).isNotNull();
        assertThat(running.containers().get(0).networkBindings()).singleElement()
                .satisfies(b -> assertThat(b.hostPort()).isEqualTo(32768));
        assertThat(ecs.listTasks(l -> l.cluster("work")).taskArns()).containsExactly(task.taskArn());
        assertThat(ecs.listTasks(l -> l.cluster("work").startedBy("it").family("web")).taskArns()).hasSize(1);
        ecs.waiter().waitUntilTasksRunning(w -> w.cluster("work").tasks(task.taskArn()));

        Task stopping = ecs.stopTask(s -> s.cluster("work").task(task.taskArn()).reason("done")).task();
        assertThat(stopping.desiredStatus()).isEqualTo("STOPPED");
        assertThat(stopping.lastStatus()).isEqualTo("RUNNING");
        DesiredState stopRequest = agent.desired(desired.version(), 5).orElseThrow();
        assertThat(stopRequest.tasks()).singleElement().satisfies(d -> assertThat(d.desiredStatus()).isEqualTo("STOPPED"));

        agent.report(ScriptedAgent.stopped(task.taskArn(), "web", 143, null, null));
        Task stopped = describe(task.taskArn());
        assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.USER_INITIATED);
        assertThat(stopped.stoppedReason()).isEqualTo("done");
        assertThat(stopped.containers().get(0).exitCode()).isEqualTo(143);
        assertThat(stopped.stoppedAt()).isNotNull();
        ecs.waiter().waitUntilTasksStopped(w -> w.cluster("work").tasks(task.taskArn()));
        assertThat(resource(instance(r).remainingResources(), "MEMORY").integerValue()).isEqualTo(1024);
        assertThat(ecs.listTasks(l -> l.cluster("work").desiredStatus(DesiredStatus.STOPPED)).taskArns()).hasSize(1);
        assertThat(ecs.describeTasks(d -> d.cluster("work").tasks(task.taskArn()).include(
                software.amazon.awssdk.services.ecs.model.TaskField.TAGS)).tasks().get(0).tags()).hasSize(1);
    }

    @Test
    void anAgentAskingForChangesOnlyGetsWhatChangedSinceTheStateItNames() throws Exception {
        agent.register("work", 2048, 2048, Map.of());
        List<Task> placed = ecs.runTask(t -> t.cluster("work").taskDefinition("web").count(2)).tasks();
        DesiredState first = agent.changes(0, null, 5).orElseThrow();
        assertThat(first.delta().changesOnly()).as("no state named: all of them").isFalse();
        assertThat(first.tasks()).hasSize(2);

        Task third = ecs.runTask(t -> t.cluster("work").taskDefinition("web")).tasks().get(0);
        DesiredState second = agent.changes(first.version(), first.delta().token(), 5).orElseThrow();
        assertThat(second.delta().changesOnly()).isTrue();
        assertThat(second.tasks()).singleElement().satisfies(d -> {
            assertThat(d.taskArn()).isEqualTo(third.taskArn());
            assertThat(d.taskDefinitionJson()).contains("berth-test/httpd:1");
        });

        String stopped = placed.get(0).taskArn();
        ecs.stopTask(s -> s.cluster("work").task(stopped));
        DesiredState stopRequest = agent.changes(second.version(), second.delta().token(), 5).orElseThrow();
        assertThat(stopRequest.tasks()).singleElement().satisfies(d -> {
            assertThat(d.taskArn()).isEqualTo(stopped);
            assertThat(d.desiredStatus()).isEqualTo("STOPPED");
        });
        agent.report(ScriptedAgent.stopped(stopped, "web", 143, null, null));
        ecs.stopTask(s -> s.cluster("work").task(third.taskArn()));
        DesiredState afterStop = agent.changes(stopRequest.version(), stopRequest.delta().token(), 5).orElseThrow();
        assertThat(afterStop.delta().removed()).containsExactly(stopped);
        assertThat(afterStop.tasks()).extracting(DesiredTask::taskArn).containsExactly(third.taskArn());

        DesiredState unknownToken = agent.changes(stopRequest.version(), "not-a-token", 0).orElseThrow();
        assertThat(unknownToken.delta().changesOnly()).as("a token this server did not give: all of them").isFalse();
        assertThat(unknownToken.tasks()).extracting(DesiredTask::taskArn)
                .containsExactlyInAnyOrder(placed.get(1).taskArn(), third.taskArn());
    }

    @Test
    void anEssentialContainerExitStopsTheTaskAndOldReportsChangeNothing() throws Exception {
        agent.register("work", 1024, 1024, Map.of());
        Task task = ecs.runTask(t -> t.cluster("work").taskDefinition("web")).tasks().get(0);
        agent.report(ScriptedAgent.running(task.taskArn(), "web", 32769));
        agent.report(ScriptedAgent.stopped(task.taskArn(), "web", 3, "EssentialContainerExited",
                "Essential container in task exited"));
        agent.send(new io.berth.core.agent.AgentReport(1, false, 0, java.time.Instant.now(),
                List.of(ScriptedAgent.running(task.taskArn(), "web", 32769))));
        Task stopped = describe(task.taskArn());
        assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
        assertThat(stopped.stoppedReason()).isEqualTo("Essential container in task exited");
        assertThat(stopped.containers().get(0).exitCode()).isEqualTo(3);
    }

    @Test
    void insufficientResourcesAreFailuresNotErrors() throws Exception {
        Registered r = agent.register("work", 256, 600, Map.of());
        RunTaskResponse two = ecs.runTask(t -> t.cluster("work").taskDefinition("web").count(3));
        assertThat(two.tasks()).hasSize(2);
        assertThat(two.failures()).singleElement().satisfies(f -> {
            assertThat(f.arn()).isEqualTo(r.containerInstanceArn());
            assertThat(f.reason()).isEqualTo("RESOURCE:CPU");
        });
        RunTaskResponse memory = ecs.runTask(t -> t.cluster("work").taskDefinition("fixed").count(2));
        assertThat(memory.tasks()).hasSize(1);
        assertThat(memory.failures()).singleElement().satisfies(f -> assertThat(f.reason()).isEqualTo("RESOURCE:MEMORY"));
        assertThatThrownBy(() -> ecs.runTask(t -> t.cluster("work").taskDefinition("web").count(11)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.runTask(t -> t.cluster("default").taskDefinition("web")))
                .isInstanceOf(software.amazon.awssdk.services.ecs.model.ClusterNotFoundException.class);
    }

    @Test
    void staticHostPortsAreNeverHandedOutTwice() throws Exception {
        agent.register("work", 8192, 8192, Map.of());
        assertThat(ecs.runTask(t -> t.cluster("work").taskDefinition("fixed")).tasks()).hasSize(1);
        RunTaskResponse second = ecs.runTask(t -> t.cluster("work").taskDefinition("fixed"));
        assertThat(second.tasks()).isEmpty();
        assertThat(second.failures()).singleElement().satisfies(f -> assertThat(f.reason()).isEqualTo("RESOURCE:PORTS"));
    }

    @Test
    void concurrentRunTasksNeverOvercommit() throws Exception {
        Registered r = agent.register("work", 10_000, 256 * 5, Map.of());
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<RunTaskResponse>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(pool.submit(() -> ecs.runTask(t -> t.cluster("work").taskDefinition("web"))));
        }
        int placed = 0;
        for (Future<RunTaskResponse> f : futures) {
            placed += f.get().tasks().size();
        }
        pool.shutdown();
        assertThat(placed).isEqualTo(5);
        assertThat(resource(instance(r).remainingResources(), "MEMORY").integerValue()).isZero();
    }

    @Test
    void deregisteringAnInstanceWithTasksNeedsForce() throws Exception {
        Registered r = agent.register("work", 1024, 1024, Map.of());
        Task task = ecs.runTask(t -> t.cluster("work").taskDefinition("web")).tasks().get(0);
        assertThatThrownBy(() -> ecs.deregisterContainerInstance(d -> d.cluster("work")
                .containerInstance(r.containerInstanceArn()))).isInstanceOf(InvalidParameterException.class);
        ContainerInstance gone = ecs.deregisterContainerInstance(d -> d.cluster("work")
                .containerInstance(r.containerInstanceArn()).force(true)).containerInstance();
        assertThat(gone.status()).isEqualTo("INACTIVE");
        assertThat(describe(task.taskArn()).lastStatus()).isEqualTo("STOPPED");
        assertThatThrownBy(() -> ecs.runTask(t -> t.cluster("work").taskDefinition("web")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void clientTokenMakesRunTaskIdempotent() throws Exception {
        agent.register("work", 4096, 4096, Map.of());
        List<String> first = ecs.runTask(t -> t.cluster("work").taskDefinition("web").count(2).clientToken("abc"))
                .tasks().stream().map(Task::taskArn).toList();
        List<String> again = ecs.runTask(t -> t.cluster("work").taskDefinition("web").count(2).clientToken("abc"))
                .tasks().stream().map(Task::taskArn).toList();
        assertThat(again).containsExactlyInAnyOrderElementsOf(first);
        assertThat(ecs.listTasks(l -> l.cluster("work")).taskArns()).hasSize(2);
    }

    private Task describe(String arn) {
        return ecs.describeTasks(d -> d.cluster("work").tasks(arn)).tasks().get(0);
    }

    private ContainerInstance instance(Registered r) {
        return ecs.describeContainerInstances(d -> d.cluster("work").containerInstances(r.containerInstanceArn()))
                .containerInstances().get(0);
    }

    private static Resource resource(List<Resource> resources, String name) {
        return resources.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    }
}
