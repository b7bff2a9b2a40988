package io.berth.core.runtime;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A host's container engine, as the agent drives it. Adapters: {@code DockerEngineRuntime} (Docker
 * Engine API), and the fake in berth-testkit.
 *
 * <p>Every method may block for I/O and takes a timeout; it throws {@link RuntimeFailure} (with a
 * {@link RuntimeFailure.Kind}) on any engine error, never an engine-specific exception. All
 * methods are thread-safe.
 */
public interface ContainerRuntime extends AutoCloseable {

    /** What the host offers: for the container instance's resources, attributes and versionInfo. */
    HostInfo host(Duration timeout);

    /** The local image of {@code reference} (name:tag or name@digest), if present. */
    Optional<ImageInfo> image(String reference, Duration timeout);

    /** Pulls {@code reference}; {@code auth} is null for anonymous pulls. */
    ImageInfo pull(String reference, RegistryAuth auth, Duration timeout);

    /**
     * Loads images from a {@code docker save} / OCI layout tar stream (test images). An archive the
     * engine refuses fails with {@link RuntimeFailure.Kind#IMAGE_PULL}.
     */
    void load(InputStream tar, Duration timeout);

    /** Creates (does not start) a container; returns its id. */
    String create(ContainerSpec spec, Duration timeout);

    void start(String containerId, Duration timeout);

    /**
     * Sends SIGTERM (or the image's stop signal), then SIGKILL after {@code grace}. A stopped container
     * is fine; a missing one fails with {@link RuntimeFailure.Kind#NOT_FOUND}. Returns once the
     * container has stopped, so {@code timeout} should exceed {@code grace}.
     */
    void stop(String containerId, Duration grace, Duration timeout);

    /** Removes a container (forcing, with its anonymous volumes). A missing container is fine. */
    void remove(String containerId, Duration timeout);

    /** Current state, empty when the container does not exist. */
    Optional<ContainerState> inspect(String containerId, Duration timeout);

    /** Containers (running or not) carrying all of {@code labels}. */
    List<ContainerState> list(Map<String, String> labels, Duration timeout);

    /** Creates a named volume (idempotent) with labels, for task-scoped and Docker volumes. */
    void createVolume(String name, String driver, Map<String, String> driverOptions, Map<String, String> labels,
                      Duration timeout);

    /** Removes a named volume; a missing one is fine. */
    void removeVolume(String name, Duration timeout);

    /**
     * Streams container events (start, die, health_status, oom, destroy) for containers carrying all
     * of {@code labels}, until the returned handle is closed or the connection breaks (then
     * {@code onClose} runs, and the caller resubscribes and re-lists to catch up).
     *
     * <p>Returns once the engine has accepted the subscription, so what the caller does afterwards
     * is seen. The listener runs on the stream's own thread, one event at a time. {@code onClose}
     * runs at most once, and not when the caller closed the handle.
     */
    AutoCloseable events(Map<String, String> labels, Consumer<ContainerEvent> listener, Runnable onClose);

    /**
     * Opens a container's output (stdout and stderr, with the engine's timestamps) from {@code since}
     * (inclusive; null for the beginning). When {@code follow}, the stream goes on with new output
     * until the container stops; otherwise it ends with what was written so far. Returns once the
     * engine answered, within {@code timeout}. A missing container fails with
     * {@link RuntimeFailure.Kind#NOT_FOUND}. An adapter that cannot read logs fails with
     * {@link RuntimeFailure.Kind#UNAVAILABLE} (the default).
     */
    default ContainerLogs logs(String containerId, Instant since, boolean follow, Duration timeout) {
        throw new RuntimeFailure(RuntimeFailure.Kind.UNAVAILABLE, "this container runtime cannot read logs");
    }

    /**
     * A sample of the container's resource use now; empty when it does not exist or is not running
     * (or when the adapter cannot tell: the default).
     */
    default Optional<ContainerStats> stats(String containerId, Duration timeout) {
        return Optional.empty();
    }

    /**
     * The task cgroups of this host's engine ({@link TaskCgroups}); what cannot have them (the default)
     * answers with the reason. May ask the engine once (its cgroup driver), within {@code timeout}.
     */
    default TaskCgroups taskCgroups(Duration timeout) {
        return TaskCgroups.unsupported("this container runtime does not offer task cgroups");
    }

    @Override
    void close();
}
