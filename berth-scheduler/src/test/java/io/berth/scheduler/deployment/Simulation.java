package io.berth.scheduler.deployment;

import io.berth.scheduler.deployment.ServiceTask.Ending;
import io.berth.scheduler.deployment.ServiceTask.Health;
import io.berth.scheduler.deployment.ServiceTask.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A service and a world that answers the planner: started tasks come up (or fail, for the
 * deployments marked bad) one tick later, turn healthy the tick after, and stopped tasks stop one
 * tick later. Time moves a second a tick, or straight to the throttle's next launch when nothing
 * happens. Deterministic.
 */
final class Simulation {
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    SchedulingStrategy strategy = SchedulingStrategy.REPLICA;
    int desired;
    List<String> daemonInstances = List.of();
    DeploymentConfig config;
    List<DeploymentState> deployments = new ArrayList<>();
    List<ServiceTask> tasks = new ArrayList<>();
    Throttle throttle = Throttle.NONE;
    String lastCompletedId;
    Duration settle = Duration.ofSeconds(3);
    Duration grace = Duration.ZERO;
    boolean healthChecked = true;
    final Set<String> bad = new HashSet<>();
    Instant now = T0;
    int ticks;
    private int nextId;
    private int nextDeployment = 100;
    final List<RolloutPlan> plans = new ArrayList<>();

    Simulation(int desired, DeploymentConfig config) {
        this.desired = desired;
        this.config = config;
    }

    /** A service that runs {@code desired} healthy tasks of a COMPLETED deployment. */
    static Simulation steady(int desired, DeploymentConfig config) {
        Simulation s = new Simulation(desired, config);
        String id = s.newDeploymentId();
        s.deployments.add(new DeploymentState(id, RolloutState.COMPLETED, "ECS deployment " + id + " completed.", 0,
                true, Set.of(), null));
        s.lastCompletedId = id;
        for (int i = 0; i < desired; i++) {
            s.tasks.add(s.task(id, Phase.RUNNING, Health.HEALTHY, "i-" + (i % 3), "az" + (i % 3))
                    .withStarted(T0.minusSeconds(600)));
        }
        return s;
    }

    String newDeploymentId() {
        return "ecs-svc/" + nextDeployment++;
    }

    /** UpdateService with a new task definition: a new PRIMARY, the old one ACTIVE. */
    String deploy(boolean good) {
        String id = newDeploymentId();
        if (!good) {
            bad.add(id);
        }
        deployments.add(0, DeploymentState.started(id));
        throttle = Throttle.NONE;
        return id;
    }

    Builder task(String deployment, Phase phase, Health health, String instance, String zone) {
        return new Builder("t" + (nextId++), deployment, phase, health, instance, zone);
    }

    final class Builder {
        private final String id;
        private final String deployment;
        private final Phase phase;
        private final Health health;
        private final String instance;
        private final String zone;

        Builder(String id, String deployment, Phase phase, Health health, String instance, String zone) {
            this.id = id;
            this.deployment = deployment;
            this.phase = phase;
            this.health = health;
            this.instance = instance;
            this.zone = zone;
        }

        ServiceTask withStarted(Instant startedAt) {
            return new ServiceTask(id, deployment, phase, healthChecked, health, startedAt.minusSeconds(5), startedAt,
                    null, instance, zone, false, null);
        }
    }

    RolloutInput input() {
        return new RolloutInput(strategy, desired, daemonInstances, config, deployments, tasks, grace, settle, throttle,
                lastCompletedId, "ecs-svc/spare" + ticks, now);
    }

    long healthy() {
        RolloutInput in = input();
        return tasks.stream().filter(t -> t.live() && RolloutPlanner.healthy(t, in)).count();
    }

    long inFlight() {
        return tasks.stream().filter(ServiceTask::inFlight).count();
    }

    DeploymentState primary() {
        return deployments.get(0);
    }

    /** Plans one tick, checks it with {@code check} (given the state before), applies it, moves the world. */
    RolloutPlan tick(Consumer<RolloutPlan> check) {
        RolloutPlan plan = RolloutPlanner.plan(input());
        check.accept(plan);
        apply(plan);
        advance(plan);
        return plan;
    }

    RolloutPlan tick() {
        return tick(p -> { });
    }

    void apply(RolloutPlan plan) {
        plans.add(plan);
        List<ServiceTask> next = new ArrayList<>();
        for (ServiceTask t : tasks) {
            RolloutPlan.Stop stop = plan.stops().stream().filter(s -> s.taskId().equals(t.id())).findFirst().orElse(null);
            if (stop == null) {
                next.add(t);
            } else {
                next.add(t.withPhase(Phase.STOPPING, stop.reason() == RolloutPlan.StopReason.UNHEALTHY
                        ? Ending.UNHEALTHY : Ending.SCHEDULER));
            }
        }
        for (RolloutPlan.Start start : plan.starts()) {
            for (int i = 0; i < start.count(); i++) {
                int n = nextId++;
                String instance = start.instanceId() != null ? start.instanceId() : "i-" + (n % 3);
                next.add(new ServiceTask("t" + n, start.deploymentId(), Phase.PENDING, healthChecked, Health.UNKNOWN,
                        now, null, null, instance, "az" + (n % 3), false, null));
            }
        }
        for (DeploymentState d : plan.deployments()) {
            if (d.rolloutState() == RolloutState.COMPLETED) {
                lastCompletedId = d.id();
            }
        }
        tasks = next;
        deployments = new ArrayList<>(plan.deployments());
        throttle = plan.throttle();
    }

    void advance(RolloutPlan plan) {
        boolean idle = plan.starts().isEmpty() && plan.stops().isEmpty();
        Instant later = now.plusSeconds(1);
        if (idle && later.isBefore(throttle.nextLaunchAt())) {
            later = throttle.nextLaunchAt();
        }
        now = later;
        ticks++;
        List<ServiceTask> next = new ArrayList<>();
        for (ServiceTask t : tasks) {
            next.add(switch (t.phase()) {
                case STOPPING -> stopped(t, t.ending());
                case PENDING -> bad.contains(t.deploymentId()) ? stopped(t, Ending.FAILED_TO_START)
                        : new ServiceTask(t.id(), t.deploymentId(), Phase.RUNNING, t.healthChecked(), Health.UNKNOWN,
                        t.createdAt(), now, null, t.instanceId(), t.availabilityZone(), t.instanceDraining(), null);
                case RUNNING -> t.health() == Health.UNKNOWN && t.healthChecked()
                        ? new ServiceTask(t.id(), t.deploymentId(), Phase.RUNNING, true, Health.HEALTHY, t.createdAt(),
                        t.startedAt(), null, t.instanceId(), t.availabilityZone(), t.instanceDraining(), null)
                        : t;
                case STOPPED -> t;
            });
        }
        tasks = next;
    }

    private ServiceTask stopped(ServiceTask t, Ending why) {
        return new ServiceTask(t.id(), t.deploymentId(), Phase.STOPPED, t.healthChecked(), t.health(), t.createdAt(),
                t.startedAt(), now, t.instanceId(), t.availabilityZone(), t.instanceDraining(), why);
    }

    /** Ticks until the rollout settles: the PRIMARY COMPLETED or FAILED and nothing left to do. */
    boolean runUntilSettled(int maxTicks, Consumer<RolloutPlan> check) {
        for (int i = 0; i < maxTicks; i++) {
            RolloutPlan plan = tick(check);
            if (plan.steady() || (primary().rolloutState() == RolloutState.FAILED && !config.rollback())) {
                return true;
            }
        }
        return false;
    }

    boolean everyOutcome(Class<?> type) {
        return plans.stream().flatMap(p -> p.outcomes().stream()).anyMatch(type::isInstance);
    }
}
