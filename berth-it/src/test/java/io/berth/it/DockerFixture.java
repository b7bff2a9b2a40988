package io.berth.it;

import static org.awaitility.Awaitility.await;

import io.berth.agent.Agent;
import io.berth.agent.AgentConfig;
import io.berth.agent.channel.HttpServerChannel;
import io.berth.agent.engine.PullBehavior;
import io.berth.core.agent.AgentLabels;
import io.berth.core.runtime.ContainerRuntime;
import io.berth.core.runtime.ContainerState;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * A real Berth server and a real agent in this JVM, on the real Docker Engine (DOCKER_HOST), with
 * the test images loaded. Skipped without an engine unless {@code berth.requireDocker=true}.
 */
final class DockerFixture implements AutoCloseable {
    final BerthFixture berth;
    final ContainerRuntime runtime;
    private final Path agentState;
    private Agent agent;
    private String instanceArn;

    private DockerFixture(BerthFixture berth, ContainerRuntime runtime, Path agentState) {
        this.berth = berth;
        this.runtime = runtime;
        this.agentState = agentState;
    }

    /** As {@link #start()}, the agent running {@code services} (made anew for each agent start). */
    static DockerFixture start(java.util.function.Supplier<List<Agent.Services>> services) throws Exception {
        DockerFixture fixture = start(1.0, false);
        fixture.servicesFactory = services;
        fixture.startAgent();
        return fixture;
    }

    static DockerFixture start() throws Exception {
        return start(1.0, true);
    }

    /** As {@link #start()}, with load balancer health checks at {@code healthCheckTimeScale} times their intervals. */
    static DockerFixture start(double healthCheckTimeScale) throws Exception {
        return start(healthCheckTimeScale, true);
    }

    private java.util.function.Supplier<List<Agent.Services>> servicesFactory = List::of;

    private static DockerFixture start(double healthCheckTimeScale, boolean withAgent) throws Exception {
        ContainerRuntime runtime = TestEngine.open();
        DockerFixture fixture = new DockerFixture(new BerthFixture(healthCheckTimeScale), runtime,
                Files.createTempDirectory("berth-agent-"));
        if (withAgent) {
            fixture.startAgent();
        }
        return fixture;
    }

    EcsClient ecs() {
        return berth.ecs();
    }

    String instanceArn() {
        return instanceArn;
    }

    void startAgent() throws InterruptedException {
        AgentConfig config = AgentConfig.of(URI.create(berth.endpoint()), agentState,
                        berth.server().credentials().accessKeyId(), berth.server().credentials().secretAccessKey())
                .withStopTimeout(Duration.ofSeconds(3))
                .withCleanupDelay(Duration.ofSeconds(2))
                .withRelistInterval(Duration.ofSeconds(1))
                .withHeartbeatInterval(Duration.ofSeconds(2))
                .withRetry(Duration.ofMillis(100), Duration.ofSeconds(1))
                .withAttributes(Map.of("ecs.availability-zone", "us-east-1a"))
                .withPullBehavior(PullBehavior.PREFER_CACHED);
        agent = Agent.start(config, runtime, new HttpServerChannel(config.serverUrl(), config.region(),
                config.accessKeyId(), config.secretAccessKey(), InstantSource.system()), InstantSource.system(),
                new Random(), servicesFactory.get());
        if (!agent.awaitRegistered(Duration.ofSeconds(30))) {
            throw new IllegalStateException("agent did not register");
        }
        instanceArn = agent.registered().orElseThrow().containerInstanceArn();
    }

    void stopAgent() {
        agent.close();
    }

    Task describe(String taskArn) {
        return ecs().describeTasks(d -> d.tasks(taskArn)).tasks().get(0);
    }

    Task awaitStatus(String taskArn, String status, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200))
                .until(() -> status.equals(describe(taskArn).lastStatus()));
        return describe(taskArn);
    }

    /** The containers on the engine belonging to a task. */
    List<ContainerState> containers(String taskArn) {
        return runtime.list(Map.of(AgentLabels.TASK_ARN, taskArn), Duration.ofSeconds(10));
    }

    @Override
    public void close() throws Exception {
        try {
            for (String arn : ecs().listTasks().taskArns()) {
                ecs().stopTask(s -> s.task(arn));
            }
        } catch (RuntimeException ignored) {
            // best effort
        }
        if (agent != null) {
            agent.close();
        }
        HostCleanup.removeWithTaskCgroups(runtime,
                runtime.list(Map.of(AgentLabels.CONTAINER_INSTANCE, instanceArn), Duration.ofSeconds(10)));
        runtime.close();
        berth.close();
    }
}
