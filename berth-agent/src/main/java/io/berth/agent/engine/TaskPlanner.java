package io.berth.agent.engine;

import io.berth.agent.engine.TaskSpec.ContainerPlan;
import io.berth.agent.engine.TaskSpec.Dependency;
import io.berth.agent.engine.TaskSpec.VolumeFrom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The deciding half of the task engine: given what the engine knows of a task now, the next state
 * of its record and the actions to take. A pure function (no I/O, time passed in), so it can be run
 * again at any moment: a container with a call in flight ({@link ContainerRecord#busy()}) gets no
 * new action, so planning twice never acts twice.
 *
 * <p>What it decides, as the ECS agent does:
 * <ul>
 *   <li>RUNNING wanted: pull every image (PENDING), then (ACTIVATING) create and start each container
 *       once its {@code dependsOn} conditions hold and its {@code volumesFrom} sources exist; RUNNING
 *       once every essential container runs.</li>
 *   <li>An essential container that stops: the task stops, with TaskFailedToStart and the
 *       container's reason if it never ran, else EssentialContainerExited. A non-essential one
 *       changes nothing else.</li>
 *   <li>A stop (asked, or decided above): SIGTERM then SIGKILL after each container's stop timeout,
 *       STOPPING until every container is stopped, then STOPPED.</li>
 *   <li>STOPPED: after the cleanup delay, remove the containers and task-scoped volumes.</li>
 * </ul>
 */
public final class TaskPlanner {
    public static final String TASK_FAILED_TO_START = "TaskFailedToStart";
    public static final String ESSENTIAL_CONTAINER_EXITED = "EssentialContainerExited";
    public static final String ESSENTIAL_EXITED_REASON = "Essential container in task exited";

    private TaskPlanner() {
    }

    /** The task's next record, and the actions to run for it. */
    public record Step(TaskRecord task, List<Action> actions) {
        public Step {
            actions = List.copyOf(actions);
        }
    }

    public static Step plan(TaskRecord task, Instant now, EngineSettings settings) {
        List<Action> actions = new ArrayList<>();
        TaskRecord current = task;
        for (int round = 0; round < 10; round++) { // until nothing changes; each round only moves forward
            TaskRecord next = once(current, now, settings, actions);
            if (next.equals(current)) {
                break;
            }
            current = next;
        }
        return new Step(current, actions);
    }

    private static TaskRecord once(TaskRecord t, Instant now, EngineSettings settings, List<Action> out) {
        if (t.phase() == TaskPhase.STOPPED) {
            return cleanup(t, now, settings, out);
        }
        t = decideStop(t);
        return t.stopWanted() ? stop(t, now, out) : run(t, now, out);
    }

    /** The agent's own reasons to stop a task: a refusal, or an essential container that stopped. */
    static TaskRecord decideStop(TaskRecord t) {
        if (t.stopWanted()) {
            return t;
        }
        if (t.spec() != null && t.spec().refusal() != null) {
            return t.copy().stop(TASK_FAILED_TO_START, t.spec().refusal()).build();
        }
        for (ContainerRecord c : t.containers()) {
            if (c.essential() && c.stopped()) {
                return c.failedToStart()
                        ? t.copy().stop(TASK_FAILED_TO_START, c.reason() != null ? c.reason()
                                : "Essential container " + c.name() + " did not start").build()
                        : t.copy().stop(ESSENTIAL_CONTAINER_EXITED, ESSENTIAL_EXITED_REASON).build();
            }
        }
        return t;
    }

    private static TaskRecord run(TaskRecord t, Instant now, List<Action> out) {
        for (ContainerRecord c : t.containers()) {
            if (c.phase() == ContainerPhase.NONE && !c.busy() && c.due(now)) {
                out.add(new Action.Pull(t.taskArn(), c.name(), c.plan().image()));
                t = t.with(c.copy().phase(ContainerPhase.PULLING).busy(true).build());
                if (t.pullStartedAt() == null) {
                    t = t.copy().pullStartedAt(now).build();
                }
            }
        }
        if (t.phase() == TaskPhase.PENDING) {
            boolean pulled = t.containers().stream()
                    .noneMatch(c -> c.phase() == ContainerPhase.NONE || c.phase() == ContainerPhase.PULLING);
            if (!pulled) {
                return t;
            }
            TaskRecord.Copy next = t.copy().phase(TaskPhase.ACTIVATING);
            if (t.pullStartedAt() != null && t.pullStoppedAt() == null) {
                next.pullStoppedAt(now);
            }
            t = next.build();
        }
        for (ContainerRecord c : t.containers()) {
            if (c.busy() || !c.due(now)) {
                continue;
            }
            if (c.phase() == ContainerPhase.PULLED) {
                Readiness ready = readiness(t, c.plan());
                if (ready.never() != null) {
                    t = t.with(c.copy().failed(ready.never()).build());
                } else if (ready.ready()) {
                    out.add(new Action.Create(t.taskArn(), c.name()));
                    t = t.with(c.copy().phase(ContainerPhase.CREATING).busy(true).build());
                }
            } else if (c.phase() == ContainerPhase.CREATED) {
                out.add(new Action.Start(t.taskArn(), c.name(), c.runtimeId()));
                t = t.with(c.copy().phase(ContainerPhase.STARTING).busy(true).build());
            }
        }
        if (t.phase() == TaskPhase.ACTIVATING && t.containers().stream().filter(ContainerRecord::essential)
                .allMatch(c -> c.phase() == ContainerPhase.RUNNING)) {
            t = t.copy().phase(TaskPhase.RUNNING).startedAt(now).build();
        }
        return t;
    }

    private static TaskRecord stop(TaskRecord t, Instant now, List<Action> out) {
        for (ContainerRecord c : t.containers()) {
            if (c.busy()) {
                continue;
            }
            switch (c.phase()) {
                case RUNNING -> {
                    out.add(new Action.Stop(t.taskArn(), c.name(), c.runtimeId(), c.stopTimeout()));
                    t = t.with(c.copy().phase(ContainerPhase.STOPPING).busy(true).build());
                }
                case STOPPING -> { // a stop that failed transiently
                    if (c.due(now)) {
                        out.add(new Action.Stop(t.taskArn(), c.name(), c.runtimeId(), c.stopTimeout()));
                        t = t.with(c.copy().busy(true).build());
                    }
                }
                case NONE, PULLING, PULLED, CREATING, CREATED, STARTING -> // never ran: nothing to stop
                        t = t.with(c.copy().phase(ContainerPhase.STOPPED).retry(c.attempts(), null).build());
                case STOPPED -> {
                }
            }
        }
        boolean done = t.containers().stream().allMatch(c -> c.stopped() && !c.busy());
        if (done) {
            return t.copy().phase(TaskPhase.STOPPED).executionStoppedAt(now).build();
        }
        return t.phase() == TaskPhase.STOPPING ? t : t.copy().phase(TaskPhase.STOPPING).build();
    }

    private static TaskRecord cleanup(TaskRecord t, Instant now, EngineSettings settings, List<Action> out) {
        if (t.cleaned() || t.cleanupBusy() || t.anyBusy() || t.executionStoppedAt() == null) {
            return t;
        }
        if (now.isBefore(t.executionStoppedAt().plus(settings.cleanupDelay()))
                || (t.cleanupRetryAt() != null && now.isBefore(t.cleanupRetryAt()))) {
            return t;
        }
        List<String> runtimeIds = t.containers().stream().map(ContainerRecord::runtimeId)
                .filter(id -> id != null).toList();
        List<String> volumes = t.spec() == null ? List.of()
                : t.spec().taskScopedVolumes().stream().map(TaskSpec.VolumePlan::dockerName).toList();
        if (runtimeIds.isEmpty() && volumes.isEmpty()) {
            return t.copy().cleaned(true).build();
        }
        out.add(new Action.Cleanup(t.taskArn(), runtimeIds, volumes));
        return t.copy().cleanupBusy(true).build();
    }

    /** Whether {@code plan}'s dependsOn and volumesFrom let it be created now, later, or never. */
    record Readiness(boolean ready, String never) {
        static final Readiness READY = new Readiness(true, null);
        static final Readiness WAIT = new Readiness(false, null);

        static Readiness never(String reason) {
            return new Readiness(false, reason);
        }
    }

    static Readiness readiness(TaskRecord t, ContainerPlan plan) {
        boolean waiting = false;
        for (Dependency d : plan.dependsOn()) {
            ContainerRecord dep = t.container(d.container()).orElse(null);
            if (dep == null) {
                return Readiness.never(notMet(d, "is not in the task"));
            }
            switch (d.condition()) {
                case START -> {
                    if (!dep.everStarted()) {
                        if (dep.stopped()) {
                            return Readiness.never(notMet(d, "did not start"));
                        }
                        waiting = true;
                    }
                }
                case COMPLETE -> {
                    if (!dep.stopped()) {
                        waiting = true;
                    } else if (!dep.everStarted()) {
                        return Readiness.never(notMet(d, "did not start"));
                    }
                }
                case SUCCESS -> {
                    if (!dep.stopped()) {
                        waiting = true;
                    } else if (!dep.everStarted()) {
                        return Readiness.never(notMet(d, "did not start"));
                    } else if (dep.exitCode() == null || dep.exitCode() != 0) {
                        return Readiness.never(notMet(d, "exited with code " + dep.exitCode()));
                    }
                }
                case HEALTHY -> {
                    if (dep.plan() == null || !dep.plan().hasHealthCheck()) {
                        return Readiness.never(notMet(d, "has no health check"));
                    }
                    if (dep.stopped()) {
                        return Readiness.never(notMet(d, "stopped before it was healthy"));
                    }
                    if (!(dep.phase() == ContainerPhase.RUNNING && "healthy".equals(dep.engineHealth()))) {
                        waiting = true;
                    }
                }
            }
        }
        for (VolumeFrom v : plan.volumesFrom()) {
            ContainerRecord source = t.container(v.sourceContainer()).orElse(null);
            if (source == null || (source.runtimeId() == null && source.stopped())) {
                return Readiness.never("CannotCreateContainerError: the volumes of container "
                        + v.sourceContainer() + " cannot be mounted: it was never created");
            }
            if (source.runtimeId() == null) {
                waiting = true;
            }
        }
        return waiting ? Readiness.WAIT : Readiness.READY;
    }

    private static String notMet(Dependency d, String what) {
        return "DependencyConditionNotMet: container " + d.container() + " " + what + " (dependsOn condition "
                + d.condition() + ")";
    }
}
