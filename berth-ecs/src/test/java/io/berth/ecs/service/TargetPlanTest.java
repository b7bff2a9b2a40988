package io.berth.ecs.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.agent.ContainerReport;
import io.berth.core.task.DesiredStatus;
import io.berth.core.task.Task;
import io.berth.core.task.TaskContainer;
import io.berth.core.task.TaskStatus;
import io.berth.ecs.service.TargetRegistry.Target;
import io.berth.ecs.service.TargetRegistry.TargetState;
import io.berth.scheduler.deployment.ServiceTask.TargetHealth;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure decisions about a service's targets. */
class TargetPlanTest {
    private static final String TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1";
    private static final String TG2 = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/2";
    private static final Map<String, String> EC2 = Map.of("ci-1", "i-0123456789abcdef0");
    private static final List<ServiceLoadBalancer> ONE = List.of(new ServiceLoadBalancer(TG, "app", 8080));

    private static Task task(String id, TaskStatus last, DesiredStatus desired, int hostPort) {
        List<ContainerReport.NetworkBinding> ports = hostPort == 0 ? List.of()
                : List.of(new ContainerReport.NetworkBinding("127.0.0.1", 8080, hostPort, "tcp"));
        return new Task("c", id, "arn:td", "web", 1, "ci-1", last, desired, "EC2", "service:web", "ecs-svc/1", "{}",
                0, 0, null, List.of(new TaskContainer("x", "app", "img", null, null, "RUNNING", null, null, ports,
                "UNKNOWN", null, null, null, true)), "UNKNOWN", Instant.EPOCH, null, null, Instant.EPOCH, null, null,
                null, null, null, null, 1);
    }

    private static Target target(int port) {
        return new Target("i-0123456789abcdef0", port);
    }

    @Test
    void aHostPortUsedAgainByALiveTaskIsNotDeregisteredForTheStoppedOne() {
        Task gone = task("old", TaskStatus.STOPPED, DesiredStatus.STOPPED, 32768);
        Task live = task("new", TaskStatus.RUNNING, DesiredStatus.RUNNING, 32768);
        TargetPlan plan = TargetPlan.of(ONE, List.of(gone, live), EC2, Map.of(TG, "instance"),
                Map.of(TG, Map.of(target(32768), TargetState.HEALTHY)));
        assertThat(plan.deregister()).isEmpty();
        assertThat(plan.register()).isEmpty();
        assertThat(plan.health()).containsEntry("new", TargetHealth.HEALTHY);
    }

    @Test
    void aDrainingTargetOfALiveTaskIsRegisteredAgain() {
        Task live = task("t", TaskStatus.RUNNING, DesiredStatus.RUNNING, 32770);
        TargetPlan plan = TargetPlan.of(ONE, List.of(live), EC2, Map.of(TG, "instance"),
                Map.of(TG, Map.of(target(32770), TargetState.DRAINING)));
        assertThat(plan.register()).containsEntry(TG, List.of(target(32770)));
        assertThat(plan.health()).containsEntry("t", TargetHealth.PENDING);
    }

    @Test
    void aDeactivatingTaskIsReleasedOnlyOnceItsTargetsLeftEveryGroup() {
        List<ServiceLoadBalancer> two = List.of(new ServiceLoadBalancer(TG, "app", 8080),
                new ServiceLoadBalancer(TG2, "app", 8080));
        Task t = task("t", TaskStatus.DEACTIVATING, DesiredStatus.STOPPED, 32771);
        Map<String, String> types = Map.of(TG, "instance", TG2, "instance");
        TargetPlan first = TargetPlan.of(two, List.of(t), EC2, types,
                Map.of(TG, Map.of(target(32771), TargetState.HEALTHY), TG2, Map.of(target(32771), TargetState.HEALTHY)));
        assertThat(first.deregister()).containsOnlyKeys(TG, TG2);
        assertThat(first.release()).isEmpty();
        TargetPlan draining = TargetPlan.of(two, List.of(t), EC2, types,
                Map.of(TG, Map.of(), TG2, Map.of(target(32771), TargetState.DRAINING)));
        assertThat(draining.deregister()).isEmpty();
        assertThat(draining.release()).isEmpty();
        TargetPlan done = TargetPlan.of(two, List.of(t), EC2, types, Map.of(TG, Map.of(), TG2, Map.of()));
        assertThat(done.release()).containsExactly("t");
    }

    @Test
    void healthIsTheWorstOverTheGroupsAndPendingUntilTheBindingIsKnown() {
        List<ServiceLoadBalancer> two = List.of(new ServiceLoadBalancer(TG, "app", 8080),
                new ServiceLoadBalancer(TG2, "app", 8080));
        Map<String, String> types = Map.of(TG, "instance", TG2, "ip");
        Task t = task("t", TaskStatus.RUNNING, DesiredStatus.RUNNING, 32772);
        TargetPlan plan = TargetPlan.of(two, List.of(t), EC2, types, Map.of(
                TG, Map.of(target(32772), TargetState.HEALTHY),
                TG2, Map.of(new Target("127.0.0.1", 32772), TargetState.UNHEALTHY)));
        assertThat(plan.health()).containsEntry("t", TargetHealth.UNHEALTHY);
        assertThat(plan.failing()).containsEntry("t", TG2);
        Task unbound = task("u", TaskStatus.RUNNING, DesiredStatus.RUNNING, 0);
        TargetPlan early = TargetPlan.of(ONE, List.of(unbound), EC2, types, Map.of());
        assertThat(early.health()).containsEntry("u", TargetHealth.PENDING);
        assertThat(early.register()).isEmpty();
    }
}
