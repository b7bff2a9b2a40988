package io.berth.scheduler.deployment;

import static io.berth.scheduler.deployment.Simulation.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.scheduler.deployment.RolloutPlan.StopReason;
import io.berth.scheduler.deployment.ServiceTask.Ending;
import io.berth.scheduler.deployment.ServiceTask.Health;
import io.berth.scheduler.deployment.ServiceTask.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** AWS's documented examples of rolling updates and the circuit breaker, one tick at a time. */
class RolloutPlannerTest {
    private static final DeploymentConfig DEFAULTS = DeploymentConfig.defaults(SchedulingStrategy.REPLICA);

    @ParameterizedTest(name = "desired {0}, min {1}% -> at least {2} healthy")
    @CsvSource({"4,50,2", "2,75,2", "3,50,2", "4,100,4", "0,100,0", "10,0,0", "1,1,1", "7,33,3"})
    void minimumHealthyRoundsUp(int desired, int percent, int expected) {
        assertThat(new DeploymentConfig(percent, 200, false, false).minimumHealthy(desired)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "desired {0}, max {1}% -> at most {2} tasks")
    @CsvSource({"4,200,8", "3,150,4", "5,125,6", "4,100,4", "1,199,1", "0,200,0", "7,110,7"})
    void maximumRoundsDown(int desired, int percent, int expected) {
        assertThat(new DeploymentConfig(100, percent, false, false).maximumTasks(desired)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "desired {0} -> threshold {1}")
    @CsvSource({"1,3", "25,13", "400,200", "800,200", "0,3", "6,3", "7,4", "399,200", "10,5"})
    void circuitBreakerThresholdIsHalfTheDesiredCountRoundedUpWithin3And200(int desired, int threshold) {
        assertThat(DeploymentConfig.failureThreshold(desired)).isEqualTo(threshold);
    }

    @Test
    void defaultsAre100And200ForReplicaAnd0And100ForDaemon() {
        assertThat(DEFAULTS).isEqualTo(new DeploymentConfig(100, 200, false, false));
        assertThat(DeploymentConfig.defaults(SchedulingStrategy.DAEMON)).isEqualTo(new DeploymentConfig(0, 100, false, false));
    }

    @Test
    void desired4Max200StartsFourNewTasksBeforeStoppingAnyOld() {
        Simulation s = Simulation.steady(4, DEFAULTS);
        String next = s.deploy(true);
        RolloutPlan first = s.tick();
        assertThat(first.starts()).containsExactly(new RolloutPlan.Start(next, 4, null));
        assertThat(first.stops()).isEmpty();
        RolloutPlan second = s.tick();
        assertThat(second.stops()).as("the new tasks are RUNNING but not yet healthy").isEmpty();
        RolloutPlan third = s.tick();
        assertThat(third.stops()).hasSize(4).allSatisfy(stop -> assertThat(stop.reason()).isEqualTo(StopReason.REPLACED));
        assertThat(s.runUntilSettled(10, p -> { })).isTrue();
        assertThat(s.deployments).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(next);
            assertThat(d.rolloutState()).isEqualTo(RolloutState.COMPLETED);
            assertThat(d.rolloutStateReason()).isEqualTo("ECS deployment " + next + " completed.");
        });
        assertThat(s.everyOutcome(RolloutPlan.Completed.class)).isTrue();
        assertThat(s.everyOutcome(RolloutPlan.Retired.class)).isTrue();
    }

    @Test
    void desired4Min50StopsTwoOldTasksFirstThenStartsTwoNew() {
        Simulation s = Simulation.steady(4, new DeploymentConfig(50, 100, false, false));
        String next = s.deploy(true);
        RolloutPlan first = s.tick();
        assertThat(first.starts()).isEmpty();
        assertThat(first.stops()).hasSize(2);
        RolloutPlan second = s.tick();
        assertThat(second.starts()).containsExactly(new RolloutPlan.Start(next, 2, null));
        assertThat(s.runUntilSettled(20, p -> assertThat(s.healthy()).isGreaterThanOrEqualTo(2))).isTrue();
        assertThat(s.primary().id()).isEqualTo(next);
    }

    @Test
    void desired2Min75MayStopNoneAndWithMax100IsBlocked() {
        Simulation s = Simulation.steady(2, new DeploymentConfig(75, 100, false, false));
        s.deploy(true);
        RolloutPlan plan = s.tick();
        assertThat(plan.starts()).isEmpty();
        assertThat(plan.stops()).isEmpty();
        assertThat(plan.outcomes()).contains(new RolloutPlan.Blocked());
    }

    @Test
    void aNewServiceStartsItsDesiredCountAndCompletesOnceHealthy() {
        Simulation s = new Simulation(3, DEFAULTS);
        String id = s.deploy(true);
        assertThat(s.tick().starts()).containsExactly(new RolloutPlan.Start(id, 3, null));
        assertThat(s.runUntilSettled(5, p -> { })).isTrue();
        assertThat(s.primary().rolloutState()).isEqualTo(RolloutState.COMPLETED);
        assertThat(s.tick().steady()).isTrue();
    }

    @Test
    void tasksWithoutHealthChecksCountOnceTheyHaveRunForTheSettleTime() {
        Simulation s = new Simulation(1, DEFAULTS);
        s.healthChecked = false;
        s.settle = Duration.ofSeconds(40);
        s.deploy(true);
        s.tick();
        s.tick();
        assertThat(s.healthy()).isZero();
        s.now = s.now.plusSeconds(40);
        assertThat(s.healthy()).isOne();
    }

    @Test
    void threeTasksThatNeverRunTripTheBreakerAndRollBackToTheCompletedDeployment() {
        Simulation s = Simulation.steady(1, new DeploymentConfig(100, 200, true, true));
        String good = s.primary().id();
        String broken = s.deploy(false);
        for (int i = 0; i < 20 && s.primary().id().equals(broken); i++) {
            s.tick(p -> assertThat(s.healthy()).isOne());
        }
        assertThat(s.primary().id()).isEqualTo(good);
        assertThat(s.primary().rolloutState()).isEqualTo(RolloutState.IN_PROGRESS);
        assertThat(s.primary().rolloutStateReason())
                .isEqualTo("ECS deployment circuit breaker: rolling back to deploymentId " + good + ".");
        DeploymentState failed = s.deployments.get(1);
        assertThat(failed.id()).isEqualTo(broken);
        assertThat(failed.rolloutState()).isEqualTo(RolloutState.FAILED);
        assertThat(failed.rolloutStateReason()).isEqualTo("ECS deployment circuit breaker: tasks failed to start.");
        assertThat(failed.failedTasks()).isEqualTo(3);
        assertThat(s.plans.stream().flatMap(p -> p.outcomes().stream()))
                .contains(new RolloutPlan.Failed(broken), new RolloutPlan.RollingBack(broken, good, good));
        assertThat(s.runUntilSettled(10, p -> { })).isTrue();
        assertThat(s.deployments).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(good);
            assertThat(d.rolloutState()).isEqualTo(RolloutState.COMPLETED);
        });
    }

    @Test
    void withoutRollbackAFailedDeploymentLaunchesNothingMore() {
        Simulation s = Simulation.steady(2, new DeploymentConfig(100, 200, true, false));
        String broken = s.deploy(false);
        assertThat(s.runUntilSettled(50, p -> { })).isTrue();
        assertThat(s.primary().id()).isEqualTo(broken);
        assertThat(s.primary().rolloutState()).isEqualTo(RolloutState.FAILED);
        RolloutPlan after = s.tick();
        assertThat(after.starts()).isEmpty();
        assertThat(after.stops()).isEmpty();
        assertThat(s.healthy()).as("the old tasks keep running").isEqualTo(2);
    }

    @Test
    void whenTheCompletedDeploymentIsGoneTheRollbackTakesItsConfigurationUnderANewId() {
        Simulation s = Simulation.steady(2, new DeploymentConfig(0, 100, true, true));
        String good = s.primary().id();
        String broken = s.deploy(false);
        for (int i = 0; i < 30 && !s.primary().id().startsWith("ecs-svc/spare"); i++) {
            s.tick();
        }
        assertThat(s.primary().rollbackOf()).isEqualTo(good);
        assertThat(s.primary().rolloutStateReason()).endsWith("rolling back to deploymentId " + good + ".");
        assertThat(s.deployments.stream().map(DeploymentState::id)).doesNotContain(good);
        assertThat(s.plans.stream().flatMap(p -> p.outcomes().stream()))
                .anyMatch(o -> o instanceof RolloutPlan.RollingBack r && r.failedId().equals(broken)
                        && r.targetId().equals(good));
    }

    @Test
    void aTaskReachingRunningResetsTheFailureCountForStageTwo() {
        Simulation s = new Simulation(10, new DeploymentConfig(100, 200, true, false));
        String id = s.deploy(true);
        List<ServiceTask> tasks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            tasks.add(new ServiceTask("f" + i, id, Phase.STOPPED, true, Health.UNKNOWN, T0, null, T0, "i-1", "az1",
                    false, Ending.FAILED_TO_START));
        }
        s.tasks = tasks;
        s.tick();
        assertThat(s.primary().failedTasks()).isEqualTo(4);
        s.tasks = new ArrayList<>(s.tasks);
        s.tasks.add(new ServiceTask("ok", id, Phase.RUNNING, true, Health.UNKNOWN, T0, T0, null, "i-1", "az1", false,
                null));
        s.tick();
        assertThat(s.primary().failedTasks()).isZero();
        assertThat(s.primary().sawRunning()).isTrue();
        assertThat(s.primary().rolloutState()).isEqualTo(RolloutState.IN_PROGRESS);
    }

    @Test
    void failuresAreCountedOnceHoweverOftenATickSeesThem() {
        Simulation s = new Simulation(10, new DeploymentConfig(100, 200, true, false));
        String id = s.deploy(true);
        s.tasks = List.of(new ServiceTask("f", id, Phase.STOPPED, true, Health.UNKNOWN, T0, null, T0, "i-1", "az1",
                false, Ending.FAILED_TO_START));
        RolloutInput in = s.input();
        RolloutPlan once = RolloutPlanner.plan(in);
        assertThat(once.primary().failedTasks()).isOne();
        RolloutInput again = new RolloutInput(in.strategy(), in.desiredCount(), in.daemonInstances(), in.config(),
                once.deployments(), in.tasks(), in.healthCheckGracePeriod(), in.settleTime(), once.throttle(),
                null, null, in.now());
        assertThat(RolloutPlanner.plan(again).primary().failedTasks()).isOne();
        assertThat(RolloutPlanner.plan(in)).isEqualTo(once);
    }

    @Test
    void unhealthyTasksAreLeftAloneDuringTheGracePeriodThenReplaced() {
        Simulation s = new Simulation(1, DEFAULTS);
        String id = s.deploy(true);
        s.grace = Duration.ofSeconds(30);
        s.tasks = List.of(new ServiceTask("sick", id, Phase.RUNNING, true, Health.UNHEALTHY, T0, T0, null, "i-1",
                "az1", false, null));
        s.now = T0.plusSeconds(10);
        assertThat(RolloutPlanner.plan(s.input()).stops()).isEmpty();
        s.now = T0.plusSeconds(30);
        RolloutPlan plan = RolloutPlanner.plan(s.input());
        assertThat(plan.stops()).containsExactly(new RolloutPlan.Stop("sick", StopReason.UNHEALTHY));
        assertThat(plan.starts()).containsExactly(new RolloutPlan.Start(id, 1, null));
    }

    @Test
    void tasksOnADrainingInstanceAreReplacedBeforeTheyStop() {
        Simulation s = Simulation.steady(2, DEFAULTS);
        String id = s.primary().id();
        ServiceTask first = s.tasks.get(0);
        s.tasks.set(0, new ServiceTask(first.id(), id, Phase.RUNNING, true, Health.HEALTHY, first.createdAt(),
                first.startedAt(), null, first.instanceId(), first.availabilityZone(), true, null));
        RolloutPlan plan = s.tick();
        assertThat(plan.starts()).containsExactly(new RolloutPlan.Start(id, 1, null));
        assertThat(plan.stops()).isEmpty();
        s.tick();
        RolloutPlan later = s.tick();
        assertThat(later.stops()).containsExactly(new RolloutPlan.Stop(first.id(), StopReason.DRAINING));
    }

    @Test
    void scaleInStopsFromTheFullestZoneThenTheNewestTask() {
        Simulation s = new Simulation(2, DEFAULTS);
        String id = s.deploy(true);
        s.deployments = List.of(new DeploymentState(id, RolloutState.COMPLETED, "done", 0, true, Set.of(), null));
        s.tasks = List.of(
                new ServiceTask("a-old", id, Phase.RUNNING, true, Health.HEALTHY, T0, T0, null, "i-1", "az-a", false, null),
                new ServiceTask("a-new", id, Phase.RUNNING, true, Health.HEALTHY, T0.plusSeconds(5), T0, null, "i-2",
                        "az-a", false, null),
                new ServiceTask("b-newest", id, Phase.RUNNING, true, Health.HEALTHY, T0.plusSeconds(9), T0, null,
                        "i-3", "az-b", false, null));
        s.now = T0.plusSeconds(60);
        assertThat(RolloutPlanner.plan(s.input()).stops())
                .containsExactly(new RolloutPlan.Stop("a-new", StopReason.SCALE_IN));
    }

    @Test
    void repeatedlyFailingLaunchesAreThrottled() {
        Simulation s = new Simulation(1, DEFAULTS);
        s.deploy(false);
        for (int i = 0; i < 4; i++) {
            s.tick();
            s.tick();
        }
        assertThat(s.throttle.impaired()).isTrue();
        assertThat(s.everyOutcome(RolloutPlan.StartImpaired.class)).isTrue();
        s.now = s.throttle.lastFailureAt().plusSeconds(1);
        assertThat(RolloutPlanner.plan(s.input()).starts()).isEmpty();
        s.now = s.throttle.nextLaunchAt();
        assertThat(RolloutPlanner.plan(s.input()).starts()).singleElement()
                .satisfies(st -> assertThat(st.count()).isOne());
        assertThat(Duration.between(s.throttle.lastFailureAt(), s.throttle.nextLaunchAt()))
                .isBetween(Duration.ofSeconds(10), Duration.ofMinutes(27));
    }

    @Test
    void theThrottleWaitsAtMost27Minutes() {
        Throttle t = new Throttle(40, T0);
        assertThat(t.nextLaunchAt()).isEqualTo(T0.plus(Duration.ofMinutes(27)));
        assertThat(new Throttle(2, T0).nextLaunchAt()).isEqualTo(java.time.Instant.MIN);
        assertThat(new Throttle(3, T0).nextLaunchAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(new Throttle(4, T0).nextLaunchAt()).isEqualTo(T0.plusSeconds(20));
    }

    @Test
    void daemonRunsOneTaskOnEachInstanceAndReplacesThemOneInstanceAtATime() {
        Simulation s = new Simulation(0, DeploymentConfig.defaults(SchedulingStrategy.DAEMON));
        s.strategy = SchedulingStrategy.DAEMON;
        s.daemonInstances = List.of("i-a", "i-b", "i-c");
        String first = s.deploy(true);
        RolloutPlan plan = s.tick();
        assertThat(plan.starts()).containsExactly(new RolloutPlan.Start(first, 1, "i-a"),
                new RolloutPlan.Start(first, 1, "i-b"), new RolloutPlan.Start(first, 1, "i-c"));
        assertThat(s.runUntilSettled(5, p -> { })).isTrue();
        s.config = new DeploymentConfig(50, 100, false, false);
        String second = s.deploy(true);
        RolloutPlan replace = s.tick();
        assertThat(replace.stops()).hasSize(1);
        assertThat(replace.starts()).isEmpty();
        RolloutPlan refill = s.tick();
        assertThat(refill.starts()).singleElement().satisfies(st -> assertThat(st.deploymentId()).isEqualTo(second));
        assertThat(s.runUntilSettled(20, p -> assertThat(s.healthy()).isGreaterThanOrEqualTo(2))).isTrue();
        assertThat(s.tasks.stream().filter(ServiceTask::live).map(ServiceTask::instanceId))
                .containsExactlyInAnyOrder("i-a", "i-b", "i-c");
    }

    @Test
    void daemonStopsTasksOnInstancesThatLeave() {
        Simulation s = new Simulation(0, DeploymentConfig.defaults(SchedulingStrategy.DAEMON));
        s.strategy = SchedulingStrategy.DAEMON;
        s.daemonInstances = List.of("i-a", "i-b");
        s.deploy(true);
        assertThat(s.runUntilSettled(5, p -> { })).isTrue();
        s.daemonInstances = List.of("i-a");
        RolloutPlan plan = s.tick();
        assertThat(plan.stops()).singleElement().satisfies(st -> assertThat(st.reason()).isEqualTo(StopReason.DRAINING));
        assertThat(plan.starts()).isEmpty();
    }

    @Test
    void scalingToZeroStopsEverythingAndCompletes() {
        Simulation s = Simulation.steady(3, DEFAULTS);
        s.desired = 0;
        RolloutPlan plan = s.tick();
        assertThat(plan.stops()).hasSize(3);
        s.tick();
        assertThat(s.tick().steady()).isTrue();
        assertThat(s.inFlight()).isZero();
    }
}
