package io.berth.agent.engine;

import io.berth.agent.engine.TaskSpec.VolumePlan;
import io.berth.core.agent.AgentLabels;
import io.berth.core.agent.DesiredTask;
import io.berth.core.runtime.ContainerRuntime;
import io.berth.core.runtime.ContainerSpec;
import io.berth.core.runtime.ContainerState;
import io.berth.core.runtime.ImageInfo;
import io.berth.core.runtime.RegistryAuth;
import io.berth.core.runtime.RuntimeFailure;
import io.berth.core.runtime.RuntimeFailure.Kind;
import io.berth.core.runtime.TaskCgroups;
import io.berth.core.runtime.TaskLimits;
import java.util.function.Function;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executing half of the task engine: runs one {@link Action} on the container engine and says
 * how it ended. Every engine error becomes an {@link Outcome}: a definitive failure with ECS's reason
 * ("CannotPullContainerError: ...", "CannotCreateContainerError: ...", "CannotStartContainerError: ..."),
 * or {@link Outcome.Transient} when the engine was down or slow. Thread-safe (stateless).
 */
final class ActionRunner {
    private static final Logger log = LoggerFactory.getLogger(ActionRunner.class);

    private final ContainerRuntime runtime;
    private final EngineSettings settings;
    private final PullCredentials credentials;

    ActionRunner(ContainerRuntime runtime, EngineSettings settings) {
        this(runtime, settings, PullCredentials.ANONYMOUS);
    }

    ActionRunner(ContainerRuntime runtime, EngineSettings settings, PullCredentials credentials) {
        this.runtime = runtime;
        this.settings = settings;
        this.credentials = credentials == null ? PullCredentials.ANONYMOUS : credentials;
    }

    private static final long IMAGE_CACHE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    private final Map<String, CachedImage> images = new java.util.concurrent.ConcurrentHashMap<>();

    private record CachedImage(ImageInfo info, long atNanos) {
    }

    /** The local image, remembered for a few seconds: task starts need not inspect it every time. */
    private Optional<ImageInfo> cachedImage(String image) {
        CachedImage hit = images.get(image);
        if (hit != null && System.nanoTime() - hit.atNanos() < IMAGE_CACHE_NANOS) {
            return Optional.of(hit.info());
        }
        Optional<ImageInfo> found = runtime.image(image, settings.callTimeout());
        found.ifPresentOrElse(i -> images.put(image, new CachedImage(i, System.nanoTime())), () -> images.remove(image));
        return found;
    }

    /**
     * Makes the image available as {@link EngineSettings#pullBehavior()} says, pulling with
     * {@code auth}, or when null with what the {@link PullCredentials} give for the image.
     */
    Outcome pull(Action.Pull a, RegistryAuth auth) {
        String image = a.image();
        try {
            PullBehavior behavior = settings.pullBehavior();
            if (behavior == PullBehavior.ONCE || behavior == PullBehavior.PREFER_CACHED) {
                Optional<ImageInfo> cached = cachedImage(image);
                if (cached.isPresent()) {
                    return new Outcome.Pulled(a.taskArn(), a.container(), digest(image, cached.get()));
                }
            }
            RegistryAuth used = auth;
            try {
                if (used == null) {
                    used = credentials.forImage(image, settings.callTimeout());
                }
                ImageInfo pulled = runtime.pull(image, used, settings.pullTimeout());
                return new Outcome.Pulled(a.taskArn(), a.container(), digest(image, pulled));
            } catch (RuntimeFailure f) {
                if (f.kind() != Kind.IMAGE_PULL && f.kind() != Kind.TIMEOUT) {
                    throw f;
                }
                if (auth == null && used != null && authenticationRefused(f)) {
                    credentials.refused(used);
                }
                if (behavior == PullBehavior.DEFAULT) {
                    Optional<ImageInfo> cached = runtime.image(image, settings.callTimeout());
                    if (cached.isPresent()) {
                        log.warn("pull of {} failed ({}); using the cached image", image, f.getMessage());
                        return new Outcome.Pulled(a.taskArn(), a.container(), digest(image, cached.get()));
                    }
                }
                return new Outcome.PullFailed(a.taskArn(), a.container(), "CannotPullContainerError: " + f.getMessage());
            }
        } catch (RuntimeFailure f) {
            return transientOr(a.taskArn(), a.container(), f, "CannotPullContainerError: ");
        }
    }

    /**
     * Creates the container, after the task volumes it mounts. If a container for this (task,
     * container name) already exists (a create that timed out, an agent that crashed), that one is
     * adopted instead: never two.
     */
    Outcome create(Action.Create a, ContainerSpec spec, List<VolumePlan> volumes) {
        return create(a, null, parent -> spec, volumes);
    }

    /**
     * As {@link #create(Action.Create, ContainerSpec, List)}, first making the task's cgroup when the
     * task has {@code limits}: {@code spec} gets the cgroup parent, or null when there is none. A
     * host without task cgroups, or a cgroup that cannot be made, leaves the container with its own
     * limits only (logged), never fails it.
     */
    Outcome create(Action.Create a, TaskLimits limits, Function<String, ContainerSpec> spec,
                   List<VolumePlan> volumes) {
        try {
            return createContainer(a, spec.apply(limits == null ? null : taskCgroup(a.taskArn(), limits)), volumes);
        } catch (RuntimeFailure f) {
            return transientOr(a.taskArn(), a.container(), f, "CannotCreateContainerError: ");
        }
    }

    /** The cgroup parent of the task's containers, or null when it has none. */
    private String taskCgroup(String taskArn, TaskLimits limits) {
        TaskCgroups cgroups = runtime.taskCgroups(settings.callTimeout());
        if (cgroups.unsupportedReason() != null) {
            return null;
        }
        try {
            return cgroups.create(taskId(taskArn), limits);
        } catch (RuntimeFailure f) {
            log.warn("task {} runs without its task cgroup: {}", taskArn, f.getMessage());
            return null;
        }
    }

    private Outcome createContainer(Action.Create a, ContainerSpec spec, List<VolumePlan> volumes) {
        try {
            for (VolumePlan v : volumes) {
                if (v.create()) {
                    runtime.createVolume(v.dockerName(), v.driver(), v.driverOptions(), v.labels(),
                            settings.callTimeout());
                }
            }
            try {
                String id = runtime.create(spec, settings.callTimeout());
                return new Outcome.Created(a.taskArn(), a.container(), id, spec.name());
            } catch (RuntimeFailure f) {
                if (f.kind() != Kind.CREATE || f.getMessage() == null || !f.getMessage().contains("already in use")) {
                    throw f;
                }
            }
            // The name is taken: a create that timed out, or an agent that crashed, made it already.
            Map<String, String> identity = Map.of(
                    AgentLabels.TASK_ARN, spec.labels().get(AgentLabels.TASK_ARN),
                    AgentLabels.CONTAINER_NAME, spec.labels().get(AgentLabels.CONTAINER_NAME),
                    AgentLabels.CONTAINER_INSTANCE, spec.labels().get(AgentLabels.CONTAINER_INSTANCE));
            List<ContainerState> existing = runtime.list(identity, settings.callTimeout());
            if (existing.isEmpty()) {
                throw new RuntimeFailure(Kind.CREATE, "the container name " + spec.name() + " is taken by a "
                        + "container that is not this task's");
            }
            ContainerState found = existing.get(0);
            log.info("container {} of task {} exists already ({}): adopting it", a.container(), a.taskArn(),
                    found.id());
            return new Outcome.Created(a.taskArn(), a.container(), found.id(), found.name());
        } catch (RuntimeFailure f) {
            return transientOr(a.taskArn(), a.container(), f, "CannotCreateContainerError: ");
        }
    }

    Outcome start(Action.Start a) {
        try {
            runtime.start(a.runtimeId(), settings.callTimeout());
        } catch (RuntimeFailure f) {
            return transientOr(a.taskArn(), a.container(), f, "CannotStartContainerError: ");
        }
        return new Outcome.Started(a.taskArn(), a.container(), inspectQuietly(a.runtimeId()));
    }

    Outcome stop(Action.Stop a) {
        try {
            runtime.stop(a.runtimeId(), a.grace(), a.grace().plus(settings.callTimeout()));
        } catch (RuntimeFailure f) {
            if (f.kind() == Kind.NOT_FOUND) {
                return new Outcome.Stopped(a.taskArn(), a.container(), null);
            }
            return new Outcome.Transient(a.taskArn(), a.container(), f.getMessage(), f.kind() == Kind.TIMEOUT);
        }
        try {
            return new Outcome.Stopped(a.taskArn(), a.container(),
                    runtime.inspect(a.runtimeId(), settings.callTimeout()).orElse(null));
        } catch (RuntimeFailure f) {
            return new Outcome.Stopped(a.taskArn(), a.container(), null);
        }
    }

    Outcome cleanup(Action.Cleanup a) {
        try {
            for (String id : a.runtimeIds()) {
                runtime.remove(id, settings.callTimeout());
            }
            for (String volume : a.volumes()) {
                runtime.removeVolume(volume, settings.callTimeout());
            }
            removeTaskCgroup(a.taskArn());
            return new Outcome.CleanedUp(a.taskArn());
        } catch (RuntimeFailure f) {
            log.warn("cleanup of task {} failed, will retry: {}", a.taskArn(), f.getMessage());
            return new Outcome.CleanupFailed(a.taskArn(), f.getMessage());
        }
    }

    /** Removes the task's cgroup, if it has one; one that will not go is logged and left. */
    private void removeTaskCgroup(String taskArn) {
        TaskCgroups cgroups = runtime.taskCgroups(settings.callTimeout());
        if (cgroups.unsupportedReason() != null) {
            return;
        }
        try {
            cgroups.remove(taskId(taskArn));
        } catch (RuntimeFailure f) {
            log.warn("the cgroup of task {} stays: {}", taskArn, f.getMessage());
        }
    }

    /** The task id of an ARN (its last part). */
    static String taskId(String taskArn) {
        return taskArn.substring(taskArn.lastIndexOf('/') + 1);
    }

    Optional<ContainerState> inspect(String runtimeId) {
        return runtime.inspect(runtimeId, settings.callTimeout());
    }

    List<ContainerState> list(Map<String, String> labels) {
        return runtime.list(labels, settings.callTimeout());
    }

    private ContainerState inspectQuietly(String runtimeId) {
        try {
            return runtime.inspect(runtimeId, settings.callTimeout()).orElse(null);
        } catch (RuntimeFailure f) {
            return null;
        }
    }

    /** Whether the registry's answer says the credentials were wrong (Docker's and the registries' words). */
    static boolean authenticationRefused(RuntimeFailure f) {
        String m = f.getMessage() == null ? "" : f.getMessage().toLowerCase(java.util.Locale.ROOT);
        return m.contains("unauthorized") || m.contains("no basic auth credentials")
                || m.contains("authentication required");
    }

    private static Outcome transientOr(String taskArn, String container, RuntimeFailure f, String code) {
        if (f.kind() == Kind.UNAVAILABLE || f.kind() == Kind.TIMEOUT) {
            return new Outcome.Transient(taskArn, container, f.getMessage(), f.kind() == Kind.TIMEOUT);
        }
        return new Outcome.Failed(taskArn, container, code + f.getMessage());
    }

    /** The image's manifest digest ({@code sha256:...}) from its repo digests, or null for a local-only image. */
    static String digest(String reference, ImageInfo info) {
        String repository = repository(reference);
        String any = null;
        for (String rd : info.repoDigests()) {
            int at = rd.indexOf('@');
            if (at < 0) {
                continue;
            }
            if (rd.substring(0, at).equals(repository)) {
                return rd.substring(at + 1);
            }
            if (any == null) {
                any = rd.substring(at + 1);
            }
        }
        return any;
    }

    /** The credentials for {@code image} if it lives in the registry they are for, else null (anonymous). */
    static RegistryAuth auth(DesiredTask.RegistryCredentials credentials, String image) {
        if (credentials == null || credentials.serverAddress() == null) {
            return null;
        }
        String server = credentials.serverAddress().replaceFirst("^[a-zA-Z]+://", "");
        if (server.endsWith("/")) {
            server = server.substring(0, server.length() - 1);
        }
        int slash = image.indexOf('/');
        String registry = slash < 0 ? null : image.substring(0, slash);
        if (registry == null || !(registry.contains(".") || registry.contains(":") || registry.equals("localhost"))) {
            return null; // Docker Hub
        }
        return registry.equalsIgnoreCase(server)
                ? new RegistryAuth(credentials.serverAddress(), credentials.username(), credentials.password())
                : null;
    }

    /** name:tag or name@digest → name. */
    static String repository(String reference) {
        int at = reference.indexOf('@');
        if (at >= 0) {
            return reference.substring(0, at);
        }
        int slash = reference.lastIndexOf('/');
        int colon = reference.indexOf(':', slash + 1);
        return colon >= 0 ? reference.substring(0, colon) : reference;
    }
}
