package io.berth.agent.runtime;

import io.berth.core.metrics.Metrics;
import io.berth.core.runtime.ContainerEvent;
import io.berth.core.runtime.ContainerLogs;
import io.berth.core.runtime.ContainerRuntime;
import io.berth.core.runtime.ContainerSpec;
import io.berth.core.runtime.ContainerState;
import io.berth.core.runtime.ContainerStats;
import io.berth.core.runtime.HostInfo;
import io.berth.core.runtime.ImageInfo;
import io.berth.core.runtime.RegistryAuth;
import io.berth.core.runtime.RuntimeFailure;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Any {@link ContainerRuntime} with its image pulls timed ({@code berth.agent.pulls}, tag outcome =
 * ok or the {@link RuntimeFailure.Kind} in lower case) and container starts counted
 * ({@code berth.agent.container.starts}, same tag). Thread-safe as the runtime it wraps.
 */
public final class MeteredRuntime implements ContainerRuntime {
    private final ContainerRuntime runtime;
    private final Metrics metrics;

    public MeteredRuntime(ContainerRuntime runtime, Metrics metrics) {
        this.runtime = runtime;
        this.metrics = metrics;
    }

    @Override
    public ImageInfo pull(String reference, RegistryAuth auth, Duration timeout) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            ImageInfo info = runtime.pull(reference, auth, timeout);
            outcome = "ok";
            return info;
        } catch (RuntimeFailure f) {
            outcome = f.kind().name().toLowerCase(java.util.Locale.ROOT);
            throw f;
        } finally {
            metrics.time("berth.agent.pulls", Duration.ofNanos(System.nanoTime() - start), "outcome", outcome);
        }
    }

    @Override
    public void start(String containerId, Duration timeout) {
        String outcome = "error";
        try {
            runtime.start(containerId, timeout);
            outcome = "ok";
        } catch (RuntimeFailure f) {
            outcome = f.kind().name().toLowerCase(java.util.Locale.ROOT);
            throw f;
        } finally {
            metrics.count("berth.agent.container.starts", 1, "outcome", outcome);
        }
    }

    @Override
    public HostInfo host(Duration timeout) {
        return runtime.host(timeout);
    }

    @Override
    public Optional<ImageInfo> image(String reference, Duration timeout) {
        return runtime.image(reference, timeout);
    }

    @Override
    public void load(InputStream tar, Duration timeout) {
        runtime.load(tar, timeout);
    }

    @Override
    public String create(ContainerSpec spec, Duration timeout) {
        return runtime.create(spec, timeout);
    }

    @Override
    public void stop(String containerId, Duration grace, Duration timeout) {
        runtime.stop(containerId, grace, timeout);
    }

    @Override
    public void remove(String containerId, Duration timeout) {
        runtime.remove(containerId, timeout);
    }

    @Override
    public Optional<ContainerState> inspect(String containerId, Duration timeout) {
        return runtime.inspect(containerId, timeout);
    }

    @Override
    public List<ContainerState> list(Map<String, String> labels, Duration timeout) {
        return runtime.list(labels, timeout);
    }

    @Override
    public void createVolume(String name, String driver, Map<String, String> driverOptions,
                             Map<String, String> labels, Duration timeout) {
        runtime.createVolume(name, driver, driverOptions, labels, timeout);
    }

    @Override
    public void removeVolume(String name, Duration timeout) {
        runtime.removeVolume(name, timeout);
    }

    @Override
    public AutoCloseable events(Map<String, String> labels, Consumer<ContainerEvent> listener, Runnable onClose) {
        return runtime.events(labels, listener, onClose);
    }

    @Override
    public ContainerLogs logs(String containerId, Instant since, boolean follow, Duration timeout) {
        return runtime.logs(containerId, since, follow, timeout);
    }

    @Override
    public Optional<ContainerStats> stats(String containerId, Duration timeout) {
        return runtime.stats(containerId, timeout);
    }

    @Override
    public io.berth.core.runtime.TaskCgroups taskCgroups(Duration timeout) {
        return runtime.taskCgroups(timeout);
    }

    @Override
    public void close() {
        runtime.close();
    }
}
