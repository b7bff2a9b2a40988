package io.berth.agent.engine;

import io.berth.agent.engine.TaskSpec.ContainerPlan;
import io.berth.core.agent.AgentLabels;
import io.berth.core.agent.DesiredTask;
import io.berth.core.runtime.ContainerState;
import io.berth.core.runtime.ContainerState.PortBinding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How what happens to a task changes its record: action outcomes, what the engine shows of its
 * containers, what the server says. Pure: the {@link TaskPlanner} then decides what follows.
 */
public final class Transitions {
    public static final String OOM_REASON = "OutOfMemoryError: Container killed due to memory usage";
    public static final String GONE_REASON = "The container was removed from the host outside of Berth";

    private Transitions() {
    }

    // ---- the server -----------------------------------------------------------------------------

    /** A new task for this host, adopting the containers of it already there (after an agent restart). */
    public static TaskRecord adopt(DesiredTask desired, TaskSpec spec, List<ContainerState> found) {
        TaskRecord t = TaskRecord.of(desired, spec);
        boolean adopted = false;
        for (ContainerPlan plan : spec.containers()) {
            Optional<ContainerState> state = pick(found, plan.name());
            if (state.isPresent()) {
                ContainerRecord c = ContainerRecord.of(plan).copy().phase(ContainerPhase.CREATED)
                        .runtime(state.get().id(), state.get().name()).build();
                t = observe(t.with(c), state.get());
                adopted = true;
            }
        }
        if (!adopted) {
            return t;
        }
        List<ContainerRecord> essential = t.containers().stream().filter(ContainerRecord::essential).toList();
        if (essential.stream().allMatch(c -> c.phase() == ContainerPhase.RUNNING)) {
            Instant startedAt = essential.stream().map(ContainerRecord::startedAt).filter(Objects::nonNull)
                    .max(Comparator.naturalOrder()).orElse(null);
            return t.copy().phase(TaskPhase.RUNNING).startedAt(startedAt).build();
        }
        return t.copy().phase(TaskPhase.ACTIVATING).build();
    }

    /**
     * Containers of a task the server does not list (it knows the task STOPPED): to be stopped and
     * removed, never reported.
     */
    public static TaskRecord orphan(String taskArn, List<ContainerState> found, EngineSettings settings) {
        List<ContainerRecord> containers = new ArrayList<>();
        for (ContainerState s : found) {
            containers.add(new ContainerRecord(s.name() == null ? s.id() : s.name(), null, false,
                    settings.stopTimeout(), ContainerPhase.CREATED, false, 0, null, s.id(), s.name(), null, false,
                    null, null, false, "none", List.of(), null, null));
        }
        TaskRecord t = new TaskRecord(taskArn, null, null, false, false, true, TaskPhase.STOPPING, null, null, null,
                null, null, null, containers, false, false, 0, null);
        for (ContainerState s : found) {
            t = observe(t, s);
        }
        return t;
    }

    /** The server's latest word on a task the engine knows. */
    public static TaskRecord desired(TaskRecord t, DesiredTask d) {
        return t.copy().desired(d).listed(true).reported(true)
                .stopRequested(t.stopRequested() || d.stopRequested()).build();
    }

    /** The server no longer lists the task: it knows it STOPPED; whatever still runs must stop. */
    public static TaskRecord unlisted(TaskRecord t) {
        return t.copy().listed(false).stopRequested(true).build();
    }

    /** The ports a running container has: as the engine bound them, or in host mode its own. */
    private static List<PortBinding> bound(ContainerRecord c, ContainerState state) {
        if (state.ports().isEmpty() && c.plan() != null && c.plan().template() != null
                && "host".equals(c.plan().template().networkMode())) {
            return c.plan().template().ports();
        }
        return state.ports();
    }

    // ---- the container engine -------------------------------------------------------------------

    /** What the engine shows of one of the task's containers now. */
    public static TaskRecord observe(TaskRecord t, ContainerState state) {
        if (t.cleaned()) {
            return t;
        }
        ContainerRecord c = t.byRuntimeId(state.id()).orElse(null);
        if (c == null) {
            return t;
        }
        ContainerRecord.Copy k = c.copy();
        if (state.running()) {
            if (c.phase() == ContainerPhase.STOPPED) {
                return t; // a stopped container of a task is not revived by someone's docker start
            }
            if (c.phase() != ContainerPhase.STOPPING) {
                k.phase(ContainerPhase.RUNNING);
            }
            k.started(state.startedAt()).ports(bound(c, state)).engineHealth(state.health());
        } else if (state.exited()) {
            if (c.phase() == ContainerPhase.STOPPED && c.exitCode() != null) {
                // An OOM kill in a task cgroup (the limit is the task's) may reach the engine after the exit.
                return state.oomKilled() && c.reason() == null ? t.with(k.reason(OOM_REASON).build()) : t;
            }
            boolean ran = c.everStarted() || state.startedAt() != null;
            if (ran) {
                k.started(state.startedAt());
            }
            k.exited(state.exitCode(), state.finishedAt());
            if (state.oomKilled()) {
                k.reason(OOM_REASON);
            } else if (!ran && c.reason() == null) {
                k.failed("CannotStartContainerError: "
                        + (state.error() != null ? state.error() : "the container exited before it started"));
            }
        } else if (!c.stopped()) {
            k.engineHealth(state.health());
        }
        return t.with(k.build());
    }

    /** The engine no longer has the container {@code runtimeId}. */
    public static TaskRecord gone(TaskRecord t, String runtimeId) {
        if (t.cleaned()) {
            return t;
        }
        ContainerRecord c = t.byRuntimeId(runtimeId).orElse(null);
        if (c == null || c.stopped()) {
            return t;
        }
        ContainerRecord.Copy k = c.copy();
        if (c.everStarted()) {
            k.exited(null, null).reason(GONE_REASON);
        } else {
            k.failed("CannotStartContainerError: " + GONE_REASON);
        }
        return t.with(k.build());
    }

    // ---- action outcomes ------------------------------------------------------------------------

    public static TaskRecord apply(TaskRecord t, Outcome outcome, Instant now, EngineSettings settings) {
        return switch (outcome) {
            case Outcome.Pulled o -> change(t, o.container(), c -> c.copy().settled().imageDigest(o.imageDigest())
                    .phase(c.phase() == ContainerPhase.PULLING ? ContainerPhase.PULLED : c.phase()).build());
            case Outcome.PullFailed o -> change(t, o.container(), c -> c.copy().settled().failed(o.reason()).build());
            case Outcome.Created o -> change(t, o.container(), c -> c.copy().settled()
                    .runtime(o.runtimeId(), o.hostName())
                    .phase(c.phase() == ContainerPhase.CREATING ? ContainerPhase.CREATED : c.phase()).build());
            case Outcome.Started o -> {
                TaskRecord started = change(t, o.container(), c -> c.phase() == ContainerPhase.STARTING
                        ? c.copy().settled().phase(ContainerPhase.RUNNING).started(null).build()
                        : c.copy().settled().build());
                yield o.state() == null ? started : observe(started, o.state());
            }
            case Outcome.Stopped o -> {
                TaskRecord settled = change(t, o.container(), c -> c.copy().settled().build());
                if (o.state() == null) {
                    yield change(settled, o.container(), c -> c.stopped() ? c
                            : c.copy().exited(null, null).reason(GONE_REASON).build());
                }
                if (o.state().running()) { // the engine stopped nothing: try again later
                    yield change(settled, o.container(), c -> c.copy()
                            .retry(c.attempts() + 1, now.plus(settings.retryAfter(c.attempts() + 1))).build());
                }
                yield observe(settled, o.state());
            }
            case Outcome.Failed o -> change(t, o.container(), c -> c.copy().settled().failed(o.reason()).build());
            case Outcome.Transient o -> change(t, o.container(), c -> retry(c, o, now, settings));
            case Outcome.CleanedUp o -> t.copy().cleanupBusy(false).cleaned(true).cleanupRetry(0, null).build();
            case Outcome.CleanupFailed o -> t.copy().cleanupBusy(false).cleanupRetry(t.cleanupAttempts() + 1,
                    now.plus(settings.retryAfter(t.cleanupAttempts() + 1))).build();
        };
    }

    private static ContainerRecord retry(ContainerRecord c, Outcome.Transient o, Instant now, EngineSettings settings) {
        ContainerPhase back = switch (c.phase()) {
            case PULLING -> ContainerPhase.NONE;
            case CREATING -> ContainerPhase.PULLED;
            case STARTING -> ContainerPhase.CREATED;
            default -> c.phase(); // STOPPING stays: the stop is tried again
        };
        int attempts = c.attempts() + 1;
        ContainerRecord.Copy k = c.copy().phase(back);
        if (back != c.phase() && attempts >= settings.maxAttempts()) {
            String code = c.phase() == ContainerPhase.PULLING ? "CannotPullContainerError: "
                    : o.timeout() ? "ContainerRuntimeTimeoutError: " : "ContainerRuntimeError: ";
            return k.settled().failed(code + o.message()).build();
        }
        return k.retry(attempts, now.plus(settings.retryAfter(attempts))).build();
    }

    private static TaskRecord change(TaskRecord t, String container,
                                     java.util.function.UnaryOperator<ContainerRecord> change) {
        return t.container(container).map(c -> t.with(change.apply(c))).orElse(t);
    }

    /** Of several containers for one (task, container name) pair, the running one, else the newest. */
    private static Optional<ContainerState> pick(List<ContainerState> found, String containerName) {
        return found.stream()
                .filter(s -> containerName.equals(s.labels().get(AgentLabels.CONTAINER_NAME)))
                .max(Comparator.comparing(ContainerState::running)
                        .thenComparing(s -> s.createdAt() == null ? Instant.MIN : s.createdAt()));
    }
}
