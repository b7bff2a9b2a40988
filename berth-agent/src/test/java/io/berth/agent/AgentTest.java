package io.berth.agent;

import static io.berth.agent.engine.Tasks.container;
import static io.berth.agent.engine.Tasks.running;
import static io.berth.agent.engine.Tasks.td;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.agent.state.AgentState;
import io.berth.agent.state.StateDirectory;
import io.berth.core.agent.AgentReport;
import io.berth.core.agent.DesiredState;
import io.berth.core.agent.DesiredTask;
import io.berth.core.agent.Registration;
import io.berth.core.agent.TaskReport;
import io.berth.core.runtime.HostInfo;
import io.berth.testkit.runtime.FakeContainerRuntime;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The running agent against a fake server: registration, the desired-state loop, reports. */
class AgentTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path stateDir;

    private final FakeContainerRuntime runtime = new FakeContainerRuntime();
    private final FakeServerChannel server = new FakeServerChannel();
    private final List<Agent> agents = new ArrayList<>();

    @AfterEach
    void tearDown() {
        agents.forEach(Agent::close);
        runtime.close();
    }

    private AgentConfig config() {
        return AgentConfig.of(URI.create("http://127.0.0.1:4566"), stateDir, "AKIDEXAMPLE", "secret")
                .withReportInterval(Duration.ofMillis(50))
                .withHeartbeatInterval(Duration.ofSeconds(10))
                .withRelistInterval(Duration.ofMillis(200))
                .withStopTimeout(Duration.ofSeconds(1))
                .withRetry(Duration.ofMillis(20), Duration.ofMillis(100));
    }

    private Agent start(AgentConfig config) {
        Agent agent = Agent.start(config, runtime, server, InstantSource.system(), new SplittableRandom(42));
        agents.add(agent);
        return agent;
    }

    private DesiredTask webTask() {
        runtime.addImage("nginx:1.27");
        return running("t1", td("web", container("web", "nginx:1.27", "")));
    }

    @Test
    void registersWithWhatTheHostOffers() throws Exception {
        runtime.setHostInfo(new HostInfo(8, 16L << 30, "linux", "aarch64", "27.5.1", "1.47"));

        Agent agent = start(config().withAttributes(Map.of("team", "infra", "ecs.instance-type", "m7g.large")));

        assertThat(agent.awaitRegistered(WAIT)).isTrue();
        Registration r = server.registrations.get(0);
        assertThat(r.cluster()).isEqualTo("default");
        assertThat(r.containerInstanceArn()).isNull();
        assertThat(r.token()).isNull();
        assertThat(r.cpuUnits()).isEqualTo(8 * 1024);
        assertThat(r.memoryMib()).isEqualTo(16 * 1024 - 256);
        assertThat(r.hostAddress()).isEqualTo("127.0.0.1");
        assertThat(r.reservedPorts()).containsExactly(22, 2375, 2376, 4566);
        assertThat(r.attributes()).containsEntry("ecs.os-type", "linux")
                .containsEntry("ecs.cpu-architecture", "arm64")
                .containsEntry("ecs.availability-zone", "us-east-1a")
                .containsEntry("ecs.instance-type", "m7g.large")
                .containsEntry("team", "infra");
        assertThat(r.dockerVersion()).isEqualTo("27.5.1");
        assertThat(r.simulated()).isFalse();
        assertThat(StateDirectory.open(stateDir).load()).contains(new AgentState("default", FakeServerChannel.ARN,
                "i-0a1b2c3d4e5f60718", "token-1"));
    }

    @Test
    void aRestartedAgentRegistersAgainAsTheSameInstance() throws Exception {
        String arn = "arn:aws:ecs:us-east-1:000000000000:container-instance/default/feedface";
        StateDirectory.open(stateDir).save(new AgentState("default", arn, "i-0feedface0000000", "old-token"));

        Agent agent = start(config());

        assertThat(agent.awaitRegistered(WAIT)).isTrue();
        assertThat(server.registrations.get(0).containerInstanceArn()).isEqualTo(arn);
        assertThat(server.registrations.get(0).token()).isEqualTo("old-token");
        assertThat(StateDirectory.open(stateDir).load().orElseThrow().token()).isEqualTo("token-1");
    }

    @Test
    void aSavedStateOfAnotherClusterIsNotReused() throws Exception {
        StateDirectory.open(stateDir).save(new AgentState("other", "arn:x", "i-1", "t"));

        Agent agent = start(config());

        assertThat(agent.awaitRegistered(WAIT)).isTrue();
        assertThat(server.registrations.get(0).containerInstanceArn()).isNull();
    }

    @Test
    void keepsTryingAServerThatIsDown() throws Exception {
        server.down = true;
        Agent agent = start(config());
        assertThat(agent.awaitRegistered(Duration.ofMillis(300))).isFalse();

        server.down = false;

        assertThat(agent.awaitRegistered(WAIT)).isTrue();
    }

    @Test
    void runsWhatTheServerWantsAndReportsItWithIncreasingSequences() throws Exception {
        DesiredTask task = webTask();
        server.setDesired(new DesiredState(1, List.of(task)));

        start(config());
        await().atMost(WAIT).until(() -> "RUNNING".equals(server.latestStatus(task.taskArn())));

        List<AgentReport> applied = List.copyOf(server.applied);
        int firstWithTasks = firstWithTasks(applied);
        assertThat(applied.subList(0, firstWithTasks + 1)).allMatch(AgentReport::fresh);
        assertThat(applied.subList(firstWithTasks + 1, applied.size())).noneMatch(AgentReport::fresh);
        assertThat(applied).extracting(AgentReport::sequence).isSorted().doesNotHaveDuplicates();
        assertThat(applied.get(applied.size() - 1).appliedVersion()).isEqualTo(1);
        TaskReport r = server.latest(task.taskArn());
        assertThat(r.containers()).singleElement().satisfies(c -> assertThat(c.lastStatus()).isEqualTo("RUNNING"));

        server.setDesired(new DesiredState(2, List.of(io.berth.agent.engine.Tasks.stopped(task))));
        await().atMost(WAIT).until(() -> "STOPPED".equals(server.latestStatus(task.taskArn())));
        assertThat(server.latest(task.taskArn()).stopCode()).isNull();
    }

    private static int firstWithTasks(List<AgentReport> reports) {
        for (int i = 0; i < reports.size(); i++) {
            if (!reports.get(i).tasks().isEmpty()) {
                return i;
            }
        }
        throw new AssertionError("no report with tasks");
    }

    @Test
    void aRestartedAgentsReportsCountAlthoughTheServerSawHigherSequencesBefore() {
        server.setLastSequence(1_000);
        DesiredTask task = webTask();
        server.setDesired(new DesiredState(1, List.of(task)));

        start(config());
        await().atMost(WAIT).until(() -> "RUNNING".equals(server.latestStatus(task.taskArn())));

        server.setDesired(new DesiredState(2, List.of(io.berth.agent.engine.Tasks.stopped(task))));
        await().atMost(WAIT).until(() -> "STOPPED".equals(server.latestStatus(task.taskArn())));
    }

    @Test
    void coalescesReportsToAtMostOnePerInterval() {
        DesiredTask task = webTask();
        server.setDesired(new DesiredState(1, List.of(task)));

        start(config().withReportInterval(Duration.ofMillis(300)));
        await().atMost(WAIT).until(() -> "RUNNING".equals(server.latestStatus(task.taskArn())));

        List<FakeServerChannel.Arrival> arrivals = List.copyOf(server.arrivals);
        for (int i = 1; i < arrivals.size(); i++) {
            assertThat(arrivals.get(i).nanos() - arrivals.get(i - 1).nanos())
                    .isGreaterThanOrEqualTo(Duration.ofMillis(290).toNanos());
        }
        // PENDING, ACTIVATING and RUNNING happen within milliseconds: they reach the server as one or two reports.
        assertThat(arrivals).filteredOn(a -> !a.report().tasks().isEmpty()).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void resendsTheTasksStateUntilTheServerAcknowledgesIt() throws Exception {
        DesiredTask task = webTask();
        server.setDesired(new DesiredState(1, List.of(task)));
        server.reportsFail = true;

        start(config());
        await().atMost(WAIT).until(() -> server.arrivals.stream()
                .filter(a -> a.report().tasks().stream().anyMatch(t -> t.lastStatus().equals("RUNNING")))
                .count() >= 3);
        assertThat(server.applied).isEmpty();

        server.reportsFail = false;
        await().atMost(WAIT).until(() -> "RUNNING".equals(server.latestStatus(task.taskArn())));

        assertThat(server.applied.get(firstWithTasks(server.applied))).satisfies(r -> {
            assertThat(r.fresh()).isTrue(); // nothing was acknowledged before
            assertThat(r.tasks()).singleElement().satisfies(t -> assertThat(t.lastStatus()).isEqualTo("RUNNING"));
        });
        assertThat(server.arrivals).extracting(a -> a.report().sequence()).isSorted().doesNotHaveDuplicates();
        int applied = server.applied.size();
        Thread.sleep(300);
        assertThat(server.applied).hasSize(applied); // acknowledged: not sent again
    }

    @Test
    void sendsHeartbeatsWhenNothingChanges() {
        start(config().withHeartbeatInterval(Duration.ofMillis(100)));

        await().atMost(WAIT).until(() -> server.applied.size() >= 4);

        assertThat(server.applied).allMatch(r -> r.tasks().isEmpty());
    }

    @Test
    void registersAgainAsTheSameInstanceWhenTheServerRefusesTheToken() throws Exception {
        server.unauthorizedPolls.set(1);

        Agent agent = start(config());

        await().atMost(WAIT).until(() -> server.registrations.size() == 2);
        Registration again = server.registrations.get(1);
        assertThat(again.containerInstanceArn()).isEqualTo(FakeServerChannel.ARN);
        assertThat(again.token()).isEqualTo("token-1");
        await().atMost(WAIT).until(() -> "token-2".equals(StateDirectory.open(stateDir).load().orElseThrow().token()));
        assertThat(agent.registered().orElseThrow().token()).isEqualTo("token-2");
    }

    @Test
    void closingTheAgentLeavesItsContainersRunning() {
        DesiredTask task = webTask();
        server.setDesired(new DesiredState(1, List.of(task)));
        Agent agent = start(config());
        await().atMost(WAIT).until(() -> "RUNNING".equals(server.latestStatus(task.taskArn())));

        agent.close();

        assertThat(runtime.containers()).singleElement().satisfies(c -> assertThat(c.running()).isTrue());
    }

    @Test
    void normalisesTheEnginesArchitectureToEcsWords() {
        assertThat(Agent.architecture("x86_64")).isEqualTo("x86_64");
        assertThat(Agent.architecture("amd64")).isEqualTo("x86_64");
        assertThat(Agent.architecture("aarch64")).isEqualTo("arm64");
        assertThat(Agent.architecture("arm64")).isEqualTo("arm64");
    }
}
