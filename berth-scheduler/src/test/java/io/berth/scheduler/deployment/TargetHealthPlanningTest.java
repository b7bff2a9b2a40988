package io.berth.scheduler.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.scheduler.deployment.ServiceTask.Health;
import io.berth.scheduler.deployment.ServiceTask.Phase;
import io.berth.scheduler.deployment.ServiceTask.TargetHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A service behind a load balancer: its tasks count as healthy only once their targets are. */
class TargetHealthPlanningTest {
    private static final Instant NOW = Instant.parse("2025-01-01T00:10:00Z");
    private static final DeploymentConfig ROLLING = new DeploymentConfig(100, 200, false, false);

    private static ServiceTask task(String id, String deployment, boolean containerChecks, Health health,
                                    TargetHealth targets, Instant startedAt) {
        return new ServiceTask(id, deployment, Phase.RUNNING, containerChecks, health, startedAt.minusSeconds(5),
                startedAt, null, "i-1", "az1", false, null, targets);
    }

    private static RolloutInput input(List<DeploymentState> deployments, List<ServiceTask> tasks, Duration grace) {
        return new RolloutInput(SchedulingStrategy.REPLICA, 2, List.of(), ROLLING, deployments, tasks, grace,
                Duration.ofSeconds(40), Throttle.NONE, null, "ecs-svc/9", NOW);
    }

    @ParameterizedTest(name = "container checks {0} ({1}), targets {2} -> healthy {3}")
    @CsvSource({
            "false, UNKNOWN,   NONE,      false",   // neither: only after the settle time (40 s)
            "false, UNKNOWN,   PENDING,   false",
            "false, UNKNOWN,   HEALTHY,   true",    // the load balancer's word is enough, no settle time
            "false, UNKNOWN,   UNHEALTHY, false",
            "true,  HEALTHY,   HEALTHY,   true",
            "true,  HEALTHY,   PENDING,   false",
            "true,  UNHEALTHY, HEALTHY,   false",
            "true,  HEALTHY,   NONE,      true"})
    void aTaskIsHealthyWhenEveryCheckItHasPasses(boolean checks, Health health, TargetHealth targets,
                                                 boolean expected) {
        ServiceTask t = task("t1", "ecs-svc/1", checks, health, targets, NOW.minusSeconds(10));
        RolloutInput in = input(List.of(DeploymentState.started("ecs-svc/1")), List.of(t), Duration.ZERO);
        assertThat(RolloutPlanner.healthy(t, in)).isEqualTo(expected);
    }

    @Test
    void oldTasksStayUntilTheNewTargetsAreHealthy() {
        List<DeploymentState> deployments = List.of(DeploymentState.started("ecs-svc/2"),
                new DeploymentState("ecs-svc/1", RolloutState.COMPLETED, "done", 0, true, Set.of(), null));
        List<ServiceTask> tasks = new ArrayList<>();
        Instant long_ago = NOW.minusSeconds(600);
        tasks.add(task("old1", "ecs-svc/1", false, Health.UNKNOWN, TargetHealth.HEALTHY, long_ago));
        tasks.add(task("old2", "ecs-svc/1", false, Health.UNKNOWN, TargetHealth.HEALTHY, long_ago));
        tasks.add(task("new1", "ecs-svc/2", false, Health.UNKNOWN, TargetHealth.PENDING, long_ago));
        tasks.add(task("new2", "ecs-svc/2", false, Health.UNKNOWN, TargetHealth.PENDING, long_ago));
        RolloutPlan waiting = RolloutPlanner.plan(input(deployments, tasks, Duration.ZERO));
        assertThat(waiting.stops()).as("new targets still in their initial checks").isEmpty();
        assertThat(waiting.starts()).isEmpty();

        tasks.set(2, task("new1", "ecs-svc/2", false, Health.UNKNOWN, TargetHealth.HEALTHY, long_ago));
        RolloutPlan one = RolloutPlanner.plan(input(deployments, tasks, Duration.ZERO));
        assertThat(one.stops()).singleElement().satisfies(s -> {
            assertThat(s.taskId()).startsWith("old");
            assertThat(s.reason()).isEqualTo(RolloutPlan.StopReason.REPLACED);
        });
    }

    @Test
    void aTaskFailingItsTargetHealthChecksIsReplacedOnlyAfterTheGracePeriod() {
        List<DeploymentState> deployments = List.of(new DeploymentState("ecs-svc/1", RolloutState.COMPLETED, "done",
                0, true, Set.of(), null));
        ServiceTask failing = task("t1", "ecs-svc/1", false, Health.UNKNOWN, TargetHealth.UNHEALTHY,
                NOW.minusSeconds(30));
        ServiceTask fine = task("t2", "ecs-svc/1", false, Health.UNKNOWN, TargetHealth.HEALTHY, NOW.minusSeconds(30));
        RolloutPlan inGrace = RolloutPlanner.plan(input(deployments, List.of(failing, fine), Duration.ofSeconds(60)));
        assertThat(inGrace.stops()).isEmpty();
        RolloutPlan after = RolloutPlanner.plan(input(deployments, List.of(failing, fine), Duration.ofSeconds(20)));
        assertThat(after.stops()).containsExactly(new RolloutPlan.Stop("t1", RolloutPlan.StopReason.UNHEALTHY));
    }
}
