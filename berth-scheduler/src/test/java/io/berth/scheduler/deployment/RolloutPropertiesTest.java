package io.berth.scheduler.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The rolling update's invariants on any desired count and percentages, over simulated rollouts
 * (see {@link Simulation}): healthy tasks never fall below the minimum, tasks in flight never
 * exceed the maximum, every rollout that the configuration lets move ends, and one whose tasks
 * never start trips the circuit breaker.
 */
class RolloutPropertiesTest {
    private static final int MAX_TICKS = 600;

    private static boolean deadlocked(int desired, DeploymentConfig c) {
        return desired > 0 && c.maximumTasks(desired) <= desired && c.minimumHealthy(desired) >= desired;
    }

    /** Checks the plan of one tick against the state it was made from. */
    private static void invariants(Simulation s, RolloutPlan plan) {
        int desired = s.input().wanted();
        long healthyBefore = s.healthy();
        long inFlightBefore = s.inFlight();
        RolloutInput in = s.input();
        Set<String> stopped = new HashSet<>();
        plan.stops().forEach(st -> stopped.add(st.taskId()));
        long healthyAfter = s.tasks.stream()
                .filter(t -> t.live() && !stopped.contains(t.id()) && RolloutPlanner.healthy(t, in)).count();
        assertThat(healthyAfter).as("healthy tasks after the stops")
                .isGreaterThanOrEqualTo(Math.min(healthyBefore, s.config.minimumHealthy(desired)));
        long inFlightAfter = inFlightBefore + plan.startCount();
        assertThat(inFlightAfter).as("tasks in flight after the starts")
                .isLessThanOrEqualTo(Math.max(inFlightBefore, s.config.maximumTasks(desired)));
        assertThat(plan.stops().stream().map(RolloutPlan.Stop::taskId).distinct().count())
                .isEqualTo(plan.stops().size());
        for (RolloutPlan.Start start : plan.starts()) {
            assertThat(start.deploymentId()).isEqualTo(plan.primary().id());
            assertThat(start.count()).isPositive();
        }
    }

    @Property(tries = 300)
    void healthyNeverBelowMinimumAndTotalNeverAboveMaximum(
            @ForAll @IntRange(min = 0, max = 40) int desired,
            @ForAll @IntRange(min = 0, max = 100) int minimumPercent,
            @ForAll @IntRange(min = 100, max = 300) int maximumPercent,
            @ForAll @IntRange(min = 0, max = 40) int newDesired,
            @ForAll @IntRange(min = 0, max = 6) int changeAtTick,
            @ForAll boolean good,
            @ForAll boolean healthChecked,
            @ForAll boolean breaker) {
        DeploymentConfig config = new DeploymentConfig(minimumPercent, maximumPercent, breaker, breaker);
        Simulation s = Simulation.steady(desired, config);
        s.healthChecked = healthChecked;
        s.deploy(good);
        for (int i = 0; i < 80; i++) {
            if (i == changeAtTick) {
                s.desired = newDesired;
            }
            s.tick(plan -> invariants(s, plan));
        }
    }

    @Property(tries = 300)
    void everyRolloutTheConfigurationLetsMoveEnds(
            @ForAll @IntRange(min = 0, max = 40) int desired,
            @ForAll @IntRange(min = 0, max = 100) int minimumPercent,
            @ForAll @IntRange(min = 100, max = 300) int maximumPercent,
            @ForAll boolean healthChecked) {
        DeploymentConfig config = new DeploymentConfig(minimumPercent, maximumPercent, true, true);
        Assume.that(!deadlocked(desired, config));
        Simulation s = Simulation.steady(desired, config);
        s.healthChecked = healthChecked;
        String next = s.deploy(true);
        assertThat(s.runUntilSettled(MAX_TICKS, plan -> invariants(s, plan))).as("settled within %d ticks", MAX_TICKS)
                .isTrue();
        assertThat(s.deployments).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(next);
            assertThat(d.rolloutState()).isEqualTo(RolloutState.COMPLETED);
        });
        assertThat(s.tasks.stream().filter(ServiceTask::inFlight))
                .hasSize(desired)
                .allSatisfy(t -> assertThat(t.deploymentId()).isEqualTo(next));
    }

    @Property(tries = 300)
    void aRolloutWhoseTasksNeverStartTripsTheBreakerAndRollsBack(
            @ForAll @IntRange(min = 1, max = 40) int desired,
            @ForAll @IntRange(min = 0, max = 100) int minimumPercent,
            @ForAll @IntRange(min = 100, max = 300) int maximumPercent,
            @ForAll boolean rollback) {
        DeploymentConfig config = new DeploymentConfig(minimumPercent, maximumPercent, true, rollback);
        Assume.that(!deadlocked(desired, config));
        Simulation s = Simulation.steady(desired, config);
        String good = s.primary().id();
        String broken = s.deploy(false);
        assertThat(s.runUntilSettled(MAX_TICKS, plan -> invariants(s, plan))).isTrue();
        assertThat(s.plans.stream().flatMap(p -> p.outcomes().stream())).contains(new RolloutPlan.Failed(broken));
        if (rollback) {
            assertThat(s.primary().rolloutState()).isEqualTo(RolloutState.COMPLETED);
            assertThat(s.primary().id().equals(good) || good.equals(s.primary().rollbackOf())).isTrue();
            assertThat(s.healthy()).isEqualTo(desired);
        } else {
            assertThat(s.primary().id()).isEqualTo(broken);
            assertThat(s.primary().rolloutState()).isEqualTo(RolloutState.FAILED);
            assertThat(s.primary().failedTasks()).isGreaterThanOrEqualTo(DeploymentConfig.failureThreshold(desired));
        }
    }

    @Property(tries = 100)
    void aDaemonRolloutEndsWithOneTaskPerInstance(
            @ForAll @IntRange(min = 0, max = 12) int instances,
            @ForAll @IntRange(min = 0, max = 100) int minimumPercent) {
        DeploymentConfig config = new DeploymentConfig(minimumPercent, 100, false, false);
        Assume.that(!deadlocked(instances, config));
        Simulation s = new Simulation(0, DeploymentConfig.defaults(SchedulingStrategy.DAEMON));
        s.strategy = SchedulingStrategy.DAEMON;
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < instances; i++) {
            ids.add("i-" + i);
        }
        s.daemonInstances = ids;
        s.deploy(true);
        assertThat(s.runUntilSettled(50, plan -> invariants(s, plan))).isTrue();
        s.config = config;
        String next = s.deploy(true);
        assertThat(s.runUntilSettled(MAX_TICKS, plan -> invariants(s, plan))).isTrue();
        assertThat(s.tasks.stream().filter(ServiceTask::inFlight))
                .hasSize(instances)
                .allSatisfy(t -> assertThat(t.deploymentId()).isEqualTo(next));
        assertThat(s.tasks.stream().filter(ServiceTask::inFlight).map(ServiceTask::instanceId).distinct())
                .hasSize(instances);
    }
}
