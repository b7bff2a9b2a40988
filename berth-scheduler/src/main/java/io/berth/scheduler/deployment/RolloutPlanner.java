package io.berth.scheduler.deployment;

import io.berth.scheduler.deployment.RolloutPlan.Outcome;
import io.berth.scheduler.deployment.RolloutPlan.Start;
import io.berth.scheduler.deployment.RolloutPlan.Stop;
import io.berth.scheduler.deployment.RolloutPlan.StopReason;
import io.berth.scheduler.deployment.ServiceTask.Health;
import io.berth.scheduler.deployment.ServiceTask.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One tick of a service's rolling deployment (see the package documentation for the rules). Pure
 * and deterministic: the same input gives the same plan.
 */
public final class RolloutPlanner {
    private RolloutPlanner() {
    }

    public static RolloutPlan plan(RolloutInput in) {
        return new Tick(in).run();
    }

    /**
     * Whether a task counts as healthy: RUNNING; HEALTHY if it has container health checks; healthy
     * in its target groups if its service has a load balancer; and, with neither, settled.
     */
    public static boolean healthy(ServiceTask t, RolloutInput in) {
        if (t.phase() != Phase.RUNNING || t.startedAt() == null) {
            return false;
        }
        boolean balanced = t.targetHealth() != ServiceTask.TargetHealth.NONE;
        if (t.healthChecked() && t.health() != Health.HEALTHY) {
            return false;
        }
        if (balanced && t.targetHealth() != ServiceTask.TargetHealth.HEALTHY) {
            return false;
        }
        return t.healthChecked() || balanced || !in.now().isBefore(t.startedAt().plus(in.settleTime()));
    }

    /**
     * Whether a task failed its container or load balancer health checks after its grace period,
     * and must be replaced.
     */
    static boolean unhealthy(ServiceTask t, RolloutInput in) {
        boolean failing = (t.healthChecked() && t.health() == Health.UNHEALTHY)
                || t.targetHealth() == ServiceTask.TargetHealth.UNHEALTHY;
        return t.phase() == Phase.RUNNING && failing
                && (t.startedAt() == null || !in.now().isBefore(t.startedAt().plus(in.healthCheckGracePeriod())));
    }

    /** A deployment's state while a tick changes it. */
    private static final class Working {
        final String id;
        RolloutState state;
        String reason;
        int failedTasks;
        boolean sawRunning;
        final Set<String> counted;
        final String rollbackOf;

        Working(DeploymentState d) {
            id = d.id();
            state = d.rolloutState();
            reason = d.rolloutStateReason();
            failedTasks = d.failedTasks();
            sawRunning = d.sawRunning();
            counted = new LinkedHashSet<>(d.countedFailures());
            rollbackOf = d.rollbackOf();
        }

        DeploymentState freeze() {
            return new DeploymentState(id, state, reason, failedTasks, sawRunning, counted, rollbackOf);
        }
    }

    private static final class Tick {
        private final RolloutInput in;
        private final Instant now;
        private final int wanted;
        private final List<Working> deployments = new ArrayList<>();
        private final List<ServiceTask> tasks;
        private final List<Outcome> outcomes = new ArrayList<>();
        private final List<Start> starts = new ArrayList<>();
        private final Map<String, Stop> stops = new LinkedHashMap<>();
        private Throttle throttle;

        Tick(RolloutInput in) {
            this.in = in;
            this.now = in.now();
            this.wanted = in.wanted();
            in.deployments().forEach(d -> deployments.add(new Working(d)));
            List<ServiceTask> sorted = new ArrayList<>(in.tasks());
            sorted.sort(Comparator.comparing(ServiceTask::createdAt).thenComparing(ServiceTask::id));
            this.tasks = sorted;
            this.throttle = in.throttle();
        }

        RolloutPlan run() {
            account();
            circuitBreaker();
            if (in.strategy() == SchedulingStrategy.DAEMON) {
                daemon();
            } else {
                replica();
            }
            return finish();
        }

        private Working primary() {
            return deployments.get(0);
        }

        private boolean healthy(ServiceTask t) {
            return RolloutPlanner.healthy(t, in);
        }

        /** Failures of tasks (for the circuit breaker and the throttle), counted once each. */
        private void account() {
            boolean wasImpaired = throttle.impaired();
            if (throttle.consecutiveFailures() > 0) {
                for (ServiceTask t : tasks) {
                    if (t.live() && healthy(t) && (throttle.lastFailureAt() == null
                            || t.startedAt().isAfter(throttle.lastFailureAt()))) {
                        throttle = Throttle.NONE;
                        wasImpaired = false;
                        break;
                    }
                }
            }
            for (Working d : deployments) {
                Set<String> present = new HashSet<>();
                for (ServiceTask t : tasks) {
                    if (!t.deploymentId().equals(d.id)) {
                        continue;
                    }
                    present.add(t.id());
                    if (t.startedAt() != null && !d.sawRunning) {
                        d.sawRunning = true;
                        if (d.state == RolloutState.IN_PROGRESS) {
                            d.failedTasks = 0;
                        }
                    }
                }
                d.counted.retainAll(present);
                for (ServiceTask t : tasks) {
                    if (t.deploymentId().equals(d.id) && !t.live() && t.ending() != null && t.ending().failure()
                            && d.counted.add(t.id())) {
                        if (d.state == RolloutState.IN_PROGRESS) {
                            d.failedTasks++;
                        }
                        throttle = throttle.failed(t.stoppedAt() != null ? t.stoppedAt() : now);
                    }
                }
            }
            if (!wasImpaired && throttle.impaired()) {
                outcomes.add(new RolloutPlan.StartImpaired());
            }
        }

        private void circuitBreaker() {
            Working failed = primary();
            if (!in.config().circuitBreaker() || failed.state != RolloutState.IN_PROGRESS
                    || failed.failedTasks < DeploymentConfig.failureThreshold(wanted)) {
                return;
            }
            failed.state = RolloutState.FAILED;
            failed.reason = DeploymentState.FAILED_TO_START;
            outcomes.add(new RolloutPlan.Failed(failed.id));
            if (!in.config().rollback()) {
                return;
            }
            Working target = null;
            for (Working d : deployments.subList(1, deployments.size())) {
                if (d.state == RolloutState.COMPLETED) {
                    target = d;
                    break;
                }
            }
            if (target != null) {
                deployments.remove(target);
                deployments.add(0, target);
                target.state = RolloutState.IN_PROGRESS;
                target.reason = DeploymentState.rollingBackTo(target.id);
                target.failedTasks = 0;
                outcomes.add(new RolloutPlan.RollingBack(failed.id, target.id, target.id));
                throttle = Throttle.NONE;
                return;
            }
            String gone = in.lastCompletedId();
            String spare = in.spareDeploymentId();
            boolean present = deployments.stream().anyMatch(d -> d.id.equals(gone) || d.id.equals(spare));
            if (gone != null && spare != null && !present) {
                Working created = new Working(new DeploymentState(spare, RolloutState.IN_PROGRESS,
                        DeploymentState.rollingBackTo(gone), 0, false, Set.of(), gone));
                deployments.add(0, created);
                outcomes.add(new RolloutPlan.RollingBack(failed.id, gone, spare));
                throttle = Throttle.NONE;
            }
        }

        private void stop(ServiceTask t, StopReason reason) {
            stops.putIfAbsent(t.id(), new Stop(t.id(), reason));
        }

        private boolean stopping(ServiceTask t) {
            return stops.containsKey(t.id());
        }

        /** Live tasks not stopped by this tick. */
        private List<ServiceTask> live() {
            List<ServiceTask> result = new ArrayList<>();
            for (ServiceTask t : tasks) {
                if (t.live() && !stopping(t)) {
                    result.add(t);
                }
            }
            return result;
        }

        private void stopUnhealthyAndPendingOnDraining() {
            for (ServiceTask t : tasks) {
                if (t.live() && unhealthy(t, in)) {
                    stop(t, StopReason.UNHEALTHY);
                } else if (t.phase() == Phase.PENDING && t.instanceDraining()) {
                    stop(t, StopReason.DRAINING);
                }
            }
        }

        private boolean throttled() {
            return now.isBefore(throttle.nextLaunchAt());
        }

        private void replica() {
            stopUnhealthyAndPendingOnDraining();
            Working primary = primary();
            List<ServiceTask> live = live();
            List<ServiceTask> primaryLive = new ArrayList<>();
            List<ServiceTask> replaced = new ArrayList<>();
            List<ServiceTask> draining = new ArrayList<>();
            for (ServiceTask t : live) {
                if (!t.deploymentId().equals(primary.id)) {
                    replaced.add(t);
                } else if (t.instanceDraining()) {
                    draining.add(t);
                } else {
                    primaryLive.add(t);
                }
            }
            long inFlight = tasks.stream().filter(ServiceTask::inFlight).count();
            if (primary.state != RolloutState.FAILED) {
                int want = wanted - primaryLive.size();
                long room = in.config().maximumTasks(wanted) - inFlight;
                int n = (int) Math.max(0, Math.min(want, room));
                if (n > 0 && throttled()) {
                    n = 0;
                }
                if (throttle.impaired()) {
                    n = Math.min(n, 1);
                }
                if (n > 0) {
                    starts.add(new Start(primary.id, n, null));
                }
            } else {
                replaced.clear();
            }
            List<ServiceTask> excess = new ArrayList<>();
            if (primaryLive.size() > wanted) {
                excess = scaleInOrder(primaryLive, live, primaryLive.size() - wanted);
            }
            stopWithinMinimum(live, List.of(replaced, draining, excess),
                    List.of(StopReason.REPLACED, StopReason.DRAINING, StopReason.SCALE_IN));
            if (starts.isEmpty() && stops.isEmpty() && primary.state != RolloutState.FAILED && !throttled()
                    && (!replaced.isEmpty() || !draining.isEmpty() || primaryLive.size() < wanted)
                    && tasks.stream().filter(ServiceTask::inFlight).allMatch(t -> t.live() && healthy(t))) {
                outcomes.add(new RolloutPlan.Blocked());
            }
        }

        private void daemon() {
            stopUnhealthyAndPendingOnDraining();
            Working primary = primary();
            Set<String> eligible = new LinkedHashSet<>(in.daemonInstances());
            List<ServiceTask> live = live();
            List<ServiceTask> replaced = new ArrayList<>();
            List<ServiceTask> draining = new ArrayList<>();
            List<ServiceTask> excess = new ArrayList<>();
            Map<String, List<ServiceTask>> primaryOn = new HashMap<>();
            for (ServiceTask t : live) {
                if (t.instanceDraining() || !eligible.contains(t.instanceId())) {
                    draining.add(t);
                } else if (!t.deploymentId().equals(primary.id)) {
                    replaced.add(t);
                } else {
                    primaryOn.computeIfAbsent(t.instanceId(), k -> new ArrayList<>()).add(t);
                }
            }
            for (List<ServiceTask> same : primaryOn.values()) {
                if (same.size() > 1) {
                    excess.addAll(scaleInOrder(same, live, same.size() - 1));
                }
            }
            Set<String> occupied = new HashSet<>();
            tasks.stream().filter(ServiceTask::inFlight).forEach(t -> occupied.add(t.instanceId()));
            if (primary.state != RolloutState.FAILED && !throttled()) {
                for (String instance : eligible) {
                    if (!occupied.contains(instance)) {
                        starts.add(new Start(primary.id, 1, instance));
                        if (throttle.impaired()) {
                            break;
                        }
                    }
                }
            }
            if (primary.state == RolloutState.FAILED) {
                replaced.clear();
            }
            stopWithinMinimum(live, List.of(replaced, draining, excess),
                    List.of(StopReason.REPLACED, StopReason.DRAINING, StopReason.SCALE_IN));
        }

        /**
         * Stops the candidates: those not healthy at once (stopping them keeps the healthy count),
         * the healthy ones in group order only while more than the minimum stay healthy.
         */
        private void stopWithinMinimum(List<ServiceTask> live, List<List<ServiceTask>> groups,
                                       List<StopReason> reasons) {
            long healthyNow = live.stream().filter(this::healthy).count();
            long budget = healthyNow - in.config().minimumHealthy(wanted);
            List<List<ServiceTask>> healthyCandidates = new ArrayList<>();
            for (int g = 0; g < groups.size(); g++) {
                List<ServiceTask> healthyOnes = new ArrayList<>();
                for (ServiceTask t : groups.get(g)) {
                    if (healthy(t)) {
                        healthyOnes.add(t);
                    } else {
                        stop(t, reasons.get(g));
                    }
                }
                healthyCandidates.add(healthyOnes);
            }
            for (int g = 0; g < groups.size() && budget > 0; g++) {
                List<ServiceTask> chosen = scaleInOrder(healthyCandidates.get(g), live, (int) Math.min(budget,
                        Integer.MAX_VALUE));
                for (ServiceTask t : chosen) {
                    if (!stopping(t)) {
                        stop(t, reasons.get(g));
                        budget--;
                    }
                }
            }
        }

        /**
         * The first {@code limit} candidates in the order ECS stops tasks: those not healthy first,
         * then from the availability zone with the most of the service's tasks, the instance with
         * the most of them, newest first.
         */
        private List<ServiceTask> scaleInOrder(List<ServiceTask> candidates, List<ServiceTask> live, int limit) {
            Map<String, Integer> perZone = new HashMap<>();
            Map<String, Integer> perInstance = new HashMap<>();
            for (ServiceTask t : live) {
                if (!stopping(t)) {
                    perZone.merge(zone(t), 1, Integer::sum);
                    perInstance.merge(String.valueOf(t.instanceId()), 1, Integer::sum);
                }
            }
            Map<String, Boolean> healthy = new HashMap<>();
            candidates.forEach(t -> healthy.put(t.id(), healthy(t)));
            List<ServiceTask> remaining = new ArrayList<>(candidates);
            List<ServiceTask> result = new ArrayList<>(Math.min(limit, candidates.size()));
            Comparator<ServiceTask> order = Comparator.<ServiceTask, Boolean>comparing(t -> healthy.get(t.id()))
                    .thenComparing(t -> -perZone.getOrDefault(zone(t), 0))
                    .thenComparing(t -> -perInstance.getOrDefault(String.valueOf(t.instanceId()), 0))
                    .thenComparing(ServiceTask::createdAt, Comparator.reverseOrder())
                    .thenComparing(ServiceTask::id);
            while (!remaining.isEmpty() && result.size() < limit) {
                int bestAt = 0;
                for (int i = 1; i < remaining.size(); i++) {
                    if (order.compare(remaining.get(i), remaining.get(bestAt)) < 0) {
                        bestAt = i;
                    }
                }
                ServiceTask best = remaining.remove(bestAt);
                result.add(best);
                perZone.merge(zone(best), -1, Integer::sum);
                perInstance.merge(String.valueOf(best.instanceId()), -1, Integer::sum);
            }
            return result;
        }

        private static String zone(ServiceTask t) {
            return t.availabilityZone() == null ? "" : t.availabilityZone();
        }

        private RolloutPlan finish() {
            Working primary = primary();
            boolean tripped = outcomes.stream().anyMatch(o -> o instanceof RolloutPlan.Failed);
            Set<String> withTasks = new HashSet<>();
            for (ServiceTask t : tasks) {
                if (t.inFlight()) {
                    withTasks.add(t.deploymentId());
                }
            }
            for (Working d : new ArrayList<>(deployments.subList(1, deployments.size()))) {
                if (!withTasks.contains(d.id) && !tripped) {
                    deployments.remove(d);
                    outcomes.add(new RolloutPlan.Retired(d.id));
                }
            }
            boolean quiet = starts.isEmpty() && stops.isEmpty() && !tripped;
            boolean ready = quiet && deployments.size() == 1 && primaryReady(primary);
            if (ready && primary.state == RolloutState.IN_PROGRESS) {
                primary.state = RolloutState.COMPLETED;
                primary.reason = DeploymentState.completed(primary.id);
                outcomes.add(new RolloutPlan.Completed(primary.id));
            }
            boolean steady = ready && primary.state == RolloutState.COMPLETED;
            List<DeploymentState> result = new ArrayList<>();
            deployments.forEach(d -> result.add(d.freeze()));
            return new RolloutPlan(starts, new ArrayList<>(stops.values()), result, outcomes, throttle, steady);
        }

        /** Exactly the wanted tasks are in flight, all of the PRIMARY, healthy, where they belong. */
        private boolean primaryReady(Working primary) {
            int count = 0;
            Set<String> instances = new HashSet<>();
            Set<String> eligible = new HashSet<>(in.daemonInstances());
            for (ServiceTask t : tasks) {
                if (!t.inFlight()) {
                    continue;
                }
                if (!t.deploymentId().equals(primary.id) || !t.live() || !healthy(t) || t.instanceDraining()) {
                    return false;
                }
                if (in.strategy() == SchedulingStrategy.DAEMON
                        && (!eligible.contains(t.instanceId()) || !instances.add(t.instanceId()))) {
                    return false;
                }
                count++;
            }
            return count == wanted;
        }
    }
}
