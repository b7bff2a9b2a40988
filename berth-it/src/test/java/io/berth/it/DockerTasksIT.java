package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.core.agent.AgentLabels;
import io.berth.core.runtime.ContainerState;
import io.berth.testkit.images.TestImages;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerCondition;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/** Tasks on the real Docker Engine, driven with the AWS SDK, as a user would see them. */
class DockerTasksIT {
    private static DockerFixture docker;

    @BeforeAll
    static void start() throws Exception {
        docker = DockerFixture.start();
    }

    private static EcsClient ecs() {
        return docker.ecs();
    }

    @AfterAll
    static void stop() throws Exception {
        if (docker != null) {
            docker.close();
        }
    }

    private static String register(String family, ContainerDefinition... containers) {
        return ecs().registerTaskDefinition(r -> r.family(family).containerDefinitions(containers))
                .taskDefinition().taskDefinitionArn();
    }

    private static Task run(String taskDefinition) {
        var response = ecs().runTask(r -> r.taskDefinition(taskDefinition));
        assertThat(response.failures()).isEmpty();
        return response.tasks().get(0);
    }

    @Test
    void aTaskRunsThenStopsWithItsExitCode() {
        String td = register("exit3", ContainerDefinition.builder().name("main").image(TestImages.EXIT).memory(32)
                .command("3", "2").build());
        Task task = run(td);
        Task running = docker.awaitStatus(task.taskArn(), "RUNNING", Duration.ofSeconds(20));
        assertThat(running.pullStartedAt()).isNotNull();
        assertThat(running.containers().get(0).runtimeId()).isNotBlank();
        Task stopped = docker.awaitStatus(task.taskArn(), "STOPPED", Duration.ofSeconds(20));
        assertThat(stopped.containers().get(0).exitCode()).isEqualTo(3);
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
        assertThat(stopped.stoppedReason()).isEqualTo("Essential container in task exited");
        assertThat(stopped.executionStoppedAt()).isNotNull();
        assertThat(stopped.desiredStatus()).isEqualTo("STOPPED");
    }

    @Test
    void ephemeralAndStaticHostPortsServeHttpAndContainersCarryLabels() throws Exception {
        int staticPort;
        try (ServerSocket s = new ServerSocket(0)) {
            staticPort = s.getLocalPort();
        }
        int fixed = staticPort;
        String td = register("web", ContainerDefinition.builder().name("web").image(TestImages.HTTPD).memory(32)
                        .portMappings(p -> p.containerPort(8080)).build(),
                ContainerDefinition.builder().name("fixed").image(TestImages.HTTPD).memory(32).essential(false)
                        .portMappings(p -> p.containerPort(8080).hostPort(fixed)).build());
        Task task = run(td);
        Task running = docker.awaitStatus(task.taskArn(), "RUNNING", Duration.ofSeconds(20));
        int ephemeral = running.containers().stream().filter(c -> c.name().equals("web")).findFirst().orElseThrow()
                .networkBindings().get(0).hostPort();
        assertThat(ephemeral).isPositive().isNotEqualTo(fixed);
        assertThat(get(ephemeral)).contains(TestImages.HTTPD_INDEX_TEXT);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(fixed)).contains("berth ok"));
        List<ContainerState> containers = docker.containers(task.taskArn());
        assertThat(containers).hasSize(2).allSatisfy(c -> {
            assertThat(c.labels()).containsEntry(AgentLabels.TASK_ARN, task.taskArn());
            assertThat(c.labels()).containsKey(AgentLabels.CONTAINER_NAME);
            assertThat(c.labels().get(AgentLabels.CLUSTER)).endsWith("default");
        });
        ecs().stopTask(s -> s.task(task.taskArn()));
        Task stopped = docker.awaitStatus(task.taskArn(), "STOPPED", Duration.ofSeconds(20));
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.USER_INITIATED);
    }

    @Test
    void aHostModeTaskListensOnTheHostsOwnPortAndReportsIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int p = port;
        String td = ecs().registerTaskDefinition(r -> r.family("hostmode").networkMode(NetworkMode.HOST)
                .containerDefinitions(ContainerDefinition.builder().name("web").image(TestImages.HTTPD).memory(32)
                        .command("httpd", "-f", "-p", "127.0.0.1:" + p, "-h", "/www")
                        .portMappings(m -> m.containerPort(p).hostPort(p)).build()))
                .taskDefinition().taskDefinitionArn();
        Task task = run(td);
        Task running = docker.awaitStatus(task.taskArn(), "RUNNING", Duration.ofSeconds(20));
        assertThat(running.containers().get(0).networkBindings()).singleElement().satisfies(b -> {
            assertThat(b.containerPort()).isEqualTo(p);
            assertThat(b.hostPort()).isEqualTo(p);
            assertThat(b.protocolAsString()).isEqualTo("tcp");
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(p)).contains("berth ok"));
        ecs().stopTask(s -> s.task(task.taskArn()));
        docker.awaitStatus(task.taskArn(), "STOPPED", Duration.ofSeconds(20));
    }

    @Test
    void aContainerPortRangeIsPublishedOnAHostPortRange() throws Exception {
        String td = register("portrange", ContainerDefinition.builder().name("web").image(TestImages.HTTPD).memory(32)
                .command("httpd", "-f", "-p", "9001", "-h", "/www")
                .portMappings(m -> m.containerPortRange("9000-9003")).build());
        Task task = run(td);
        Task running = docker.awaitStatus(task.taskArn(), "RUNNING", Duration.ofSeconds(20));
        var binding = running.containers().get(0).networkBindings();
        assertThat(binding).singleElement().satisfies(b -> {
            assertThat(b.containerPortRange()).isEqualTo("9000-9003");
            assertThat(b.bindIP()).isEqualTo("127.0.0.1");
        });
        int hostFirst = Integer.parseInt(binding.get(0).hostPortRange().split("-")[0]);
        assertThat(binding.get(0).hostPortRange()).isEqualTo(hostFirst + "-" + (hostFirst + 3));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(hostFirst + 1)).contains("berth ok"));
        ecs().stopTask(s -> s.task(task.taskArn()));
        docker.awaitStatus(task.taskArn(), "STOPPED", Duration.ofSeconds(20));
    }

    @Test
    void anImageThatCannotBePulledFailsTheTaskToStart() {
        String td = register("nopull", ContainerDefinition.builder().name("main").image("127.0.0.1:1/nope:1")
                .memory(32).build());
        Task task = run(td);
        Task stopped = docker.awaitStatus(task.taskArn(), "STOPPED", Duration.ofSeconds(30));
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.TASK_FAILED_TO_START);
        assertThat(stopped.stoppedReason()).startsWith("CannotPullContainerError:");
        assertThat(stopped.containers().get(0).reason()).startsWith("CannotPullContainerError:");
    }

    @Test
    void aCommandThatCannotStartFailsTheTaskToStart() {
        String td = register("nostart", ContainerDefinition.builder().name("main").image(TestImages.BUSYBOX)
                .memory(32).command("/no/such/program").build());
        Task task = run(td);
        Task stopped = docker.awaitStatus(task.taskArn(), "STOPPED", Duration.ofSeconds(30));
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.TASK_FAILED_TO_START);
        assertThat(stopped.stoppedReason()).startsWith("CannotStartContainerError:");
    }

    @Test
    void dependsOnHealthyWaitsForTheHealthCheckAndTheTaskIsHealthy() {
        String td = register("deps",
                ContainerDefinition.builder().name("db").image(TestImages.HTTPD).memory(32)
                        .healthCheck(h -> h.command("CMD-SHELL", "wget -qO- http://127.0.0.1:8080/health || exit 1")
                                .interval(5).timeout(2).retries(3).startPeriod(0)).build(),
                ContainerDefinition.builder().name("app").image(TestImages.BUSYBOX).memory(32)
                        .dependsOn(d -> d.containerName("db").condition(ContainerCondition.HEALTHY)).build());
        Task task = run(td);
        Task running = docker.awaitStatus(task.taskArn(), "RUNNING", Duration.ofSeconds(40));
        await().atMost(Duration.ofSeconds(30)).until(() -> "HEALTHY".equals(docker.describe(task.taskArn())
                .healthStatusAsString()));
        Task healthy = docker.describe(task.taskArn());
        assertThat(healthy.containers()).allSatisfy(c -> assertThat(c.lastStatus()).isEqualTo("RUNNING"));
        assertThat(healthy.containers().stream().filter(c -> c.name().equals("db")).findFirst().orElseThrow()
                .healthStatusAsString()).isEqualTo("HEALTHY");
        assertThat(running).isNotNull();
        ecs().stopTask(s -> s.task(task.taskArn()));
    }

    @Test
    void stopTimeoutSendsSigtermThenSigkill() {
        String td = register("stubborn", ContainerDefinition.builder().name("main").image(TestImages.BUSYBOX)
                .memory(32).command("sh", "-c", "trap '' TERM; sleep 300").stopTimeout(2).build());
        Task task = run(td);
        docker.awaitStatus(task.taskArn(), "RUNNING", Duration.ofSeconds(20));
        long start = System.nanoTime();
        ecs().stopTask(s -> s.task(task.taskArn()).reason("enough"));
        Task stopped = docker.awaitStatus(task.taskArn(), "STOPPED", Duration.ofSeconds(20));
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertThat(seconds).isBetween(1L, 12L);
        assertThat(stopped.containers().get(0).exitCode()).isEqualTo(137);
        assertThat(stopped.stoppedReason()).isEqualTo("enough");
    }

    @Test
    void containersOfATaskShareATaskScopedVolume() {
        String td = ecs().registerTaskDefinition(r -> r.family("shared")
                .volumes(v -> v.name("scratch"))
                .containerDefinitions(
                        ContainerDefinition.builder().name("writer").image(TestImages.BUSYBOX).memory(32)
                                .command("sh", "-c", "echo hello > /data/x; sleep 300")
                                .mountPoints(m -> m.sourceVolume("scratch").containerPath("/data")).build(),
                        ContainerDefinition.builder().name("reader").image(TestImages.BUSYBOX).memory(32).essential(false)
                                .command("sh", "-c", "for i in $(seq 50); do grep -q hello /data/x && exit 0; sleep 0.2; done; exit 1")
                                .dependsOn(d -> d.containerName("writer").condition(ContainerCondition.START))
                                .mountPoints(m -> m.sourceVolume("scratch").containerPath("/data")).build()))
                .taskDefinition().taskDefinitionArn();
        Task task = run(td);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                docker.describe(task.taskArn()).containers().stream()
                        .anyMatch(c -> c.name().equals("reader") && c.exitCode() != null));
        Task t = docker.describe(task.taskArn());
        assertThat(t.containers().stream().filter(c -> c.name().equals("reader")).findFirst().orElseThrow().exitCode())
                .isZero();
        assertThat(t.lastStatus()).isEqualTo("RUNNING");
        ecs().stopTask(s -> s.task(task.taskArn()));
    }

    @Test
    void aRestartedAgentAdoptsItsContainersAndReportsOnesThatDiedMeanwhile() throws Exception {
        String td = register("adopt", ContainerDefinition.builder().name("main").image(TestImages.BUSYBOX)
                .memory(32).build());
        Task keep = run(td);
        Task doomed = run(td);
        docker.awaitStatus(keep.taskArn(), "RUNNING", Duration.ofSeconds(20));
        docker.awaitStatus(doomed.taskArn(), "RUNNING", Duration.ofSeconds(20));
        docker.stopAgent();
        ContainerState victim = docker.containers(doomed.taskArn()).get(0);
        docker.runtime.stop(victim.id(), Duration.ZERO, Duration.ofSeconds(10));
        docker.startAgent();
        Task stopped = docker.awaitStatus(doomed.taskArn(), "STOPPED", Duration.ofSeconds(30));
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
        assertThat(docker.describe(keep.taskArn()).lastStatus()).isEqualTo("RUNNING");
        Thread.sleep(3000);
        assertThat(docker.containers(keep.taskArn())).hasSize(1);
        ecs().stopTask(s -> s.task(keep.taskArn()));
    }

    @Test
    void aRestartedServerLosesNoTask() throws Exception {
        String td = register("durable", ContainerDefinition.builder().name("main").image(TestImages.BUSYBOX)
                .memory(32).build());
        Task task = run(td);
        docker.awaitStatus(task.taskArn(), "RUNNING", Duration.ofSeconds(20));
        docker.berth.restart();
        assertThat(docker.describe(task.taskArn()).lastStatus()).isEqualTo("RUNNING");
        ecs().stopTask(s -> s.task(task.taskArn()));
        // the agent first has to find the restarted server again (its reconnect backs off)
        docker.awaitStatus(task.taskArn(), "STOPPED", Duration.ofSeconds(90));
        assertThat(docker.containers(task.taskArn())).allSatisfy(c -> assertThat(c.exited()).isTrue());
    }

    private static String get(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(5))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
