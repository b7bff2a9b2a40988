package io.berth.agent.runtime;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.VolumesFrom;
import io.berth.core.runtime.ContainerSpec;
import io.berth.core.runtime.ContainerState.PortBinding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@link ContainerSpec} → the Docker Engine's create-container request ({@code POST /containers/create}). */
final class CreateRequests {
    private CreateRequests() {
    }

    /** Fills {@code cmd} (made for {@code spec.image()}) from {@code spec}. */
    static CreateContainerCmd fill(CreateContainerCmd cmd, ContainerSpec spec) {
        cmd.withName(spec.name())
                .withLabels(new TreeMap<>(spec.labels()))
                .withEnv(environment(spec.environment()))
                .withExposedPorts(exposedPorts(published(spec)))
                .withHostConfig(hostConfig(spec));
        if (spec.command() != null) {
            cmd.withCmd(spec.command());
        }
        if (spec.entryPoint() != null) {
            cmd.withEntrypoint(spec.entryPoint());
        }
        if (spec.workingDirectory() != null) {
            cmd.withWorkingDir(spec.workingDirectory());
        }
        if (spec.user() != null) {
            cmd.withUser(spec.user());
        }
        if (spec.healthCheck() != null) {
            cmd.withHealthcheck(healthCheck(spec.healthCheck()));
        }
        if (spec.stopTimeout() != null) {
            cmd.withStopTimeout(seconds(spec.stopTimeout()));
        }
        return cmd;
    }

    /** The ports to publish: none in host mode, where the container's ports are the host's. */
    private static List<PortBinding> published(ContainerSpec spec) {
        return "host".equals(spec.networkMode()) ? List.of() : spec.ports();
    }

    static HostConfig hostConfig(ContainerSpec spec) {
        HostConfig host = HostConfig.newHostConfig()
                .withPortBindings(portBindings(published(spec)))
                .withReadonlyRootfs(spec.readonlyRootFilesystem())
                .withPrivileged(spec.privileged());
        if (spec.init()) {
            host.withInit(true);
        }
        if (spec.networkMode() != null) {
            host.withNetworkMode(spec.networkMode());
        }
        if (spec.cpuShares() > 0) {
            host.withCpuShares(spec.cpuShares());
        }
        if (spec.memoryBytes() != null) {
            host.withMemory(spec.memoryBytes());
        }
        if (spec.cgroupParent() != null) {
            host.withCgroupParent(spec.cgroupParent());
        }
        if (spec.memoryReservationBytes() != null) {
            host.withMemoryReservation(spec.memoryReservationBytes());
        }
        if (!spec.ulimits().isEmpty()) {
            host.withUlimits(spec.ulimits().stream().map(u -> new Ulimit(u.name(), u.soft(), u.hard())).toList());
        }
        if (!spec.binds().isEmpty()) {
            host.withBinds(spec.binds().stream().map(Bind::parse).toList());
        }
        if (!spec.volumesFrom().isEmpty()) {
            host.withVolumesFrom(spec.volumesFrom().stream().map(VolumesFrom::parse).toList());
        }
        if (!spec.extraHosts().isEmpty()) {
            host.withExtraHosts(spec.extraHosts().toArray(String[]::new));
        }
        return host;
    }

    /** Each publication; host port 0 becomes "" (the engine picks an ephemeral port), a null host IP "" (all). */
    static Ports portBindings(List<PortBinding> ports) {
        Ports bindings = new Ports();
        for (PortBinding p : ports) {
            String hostPort = p.hostPort() == 0 ? "" : String.valueOf(p.hostPort());
            bindings.bind(exposedPort(p), new Ports.Binding(p.hostIp() == null ? "" : p.hostIp(), hostPort));
        }
        return bindings;
    }

    static HealthCheck healthCheck(ContainerSpec.HealthCheck check) {
        HealthCheck health = new HealthCheck().withTest(check.test());
        if (check.interval() != null) {
            health.withInterval(check.interval().toNanos());
        }
        if (check.timeout() != null) {
            health.withTimeout(check.timeout().toNanos());
        }
        if (check.retries() > 0) {
            health.withRetries(check.retries());
        }
        if (check.startPeriod() != null) {
            health.withStartPeriod(check.startPeriod().toNanos());
        }
        return health;
    }

    private static List<ExposedPort> exposedPorts(List<PortBinding> ports) {
        Set<ExposedPort> exposed = new LinkedHashSet<>();
        ports.forEach(p -> exposed.add(exposedPort(p)));
        return List.copyOf(exposed);
    }

    private static ExposedPort exposedPort(PortBinding p) {
        String protocol = p.protocol() == null ? "tcp" : p.protocol();
        return new ExposedPort(p.containerPort(), InternetProtocol.parse(protocol));
    }

    private static List<String> environment(Map<String, String> environment) {
        List<String> env = new ArrayList<>();
        new TreeMap<>(environment).forEach((k, v) -> env.add(k + "=" + v));
        return env;
    }

    /** Whole seconds, rounded up: the engine's unit for stop timeouts. */
    static int seconds(Duration d) {
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, s));
    }
}
