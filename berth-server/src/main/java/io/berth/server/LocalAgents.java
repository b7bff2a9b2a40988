package io.berth.server;

import io.berth.agent.Agent;
import io.berth.agent.AgentConfig;
import io.berth.agent.channel.HttpServerChannel;
import io.berth.agent.hollow.HollowFleet;
import io.berth.agent.hollow.HollowSettings;
import io.berth.agent.logs.LogShipping;
import io.berth.agent.metadata.MetadataService;
import io.berth.agent.runtime.DockerEngineRuntime;
import io.berth.core.runtime.ContainerRuntime;
import io.berth.core.runtime.RuntimeFailure;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Starts host agents: a real one on this host's Docker Engine, or a fleet of hollow ones. */
final class LocalAgents {
    private LocalAgents() {
    }

    /** A running agent and its engine, closed together. */
    record Running(Agent agent, ContainerRuntime runtime) implements AutoCloseable {
        @Override
        public void close() {
            agent.close();
            runtime.close();
        }
    }

    /** The agent on this host's Docker Engine; throws RuntimeFailure when no engine answers. */
    static Running docker(AgentConfig config) {
        return docker(config, io.berth.core.metrics.Metrics.NONE);
    }

    /** As above, the agent recording its meters in {@code metrics}. */
    static Running docker(AgentConfig config, io.berth.core.metrics.Metrics metrics) {
        URI host = DockerEngineRuntime.hostFromEnvironment();
        ContainerRuntime runtime = new DockerEngineRuntime(host);
        try {
            runtime.host(Duration.ofSeconds(5));
        } catch (RuntimeFailure e) {
            runtime.close();
            throw new RuntimeFailure(e.kind(), "no Docker Engine answers at " + host + " (" + e.getMessage()
                    + "); start one or set DOCKER_HOST", e);
        }
        HttpServerChannel channel = new HttpServerChannel(config.serverUrl(), config.region(), config.accessKeyId(),
                config.secretAccessKey(), InstantSource.system());
        Agent agent = Agent.start(config, runtime, channel, InstantSource.system(), new Random(),
                List.of(LogShipping.withDefaults(), MetadataService.withDefaults()), metrics);
        return new Running(agent, runtime);
    }

    static HollowFleet hollow(AgentConfig config, int instances, int cpu, int memory, Duration startDelay,
                              Duration stopDelay, double failureRate, List<String> zones) {
        HollowSettings settings = new HollowSettings(config.cluster(), instances, cpu, memory, startDelay, stopDelay,
                failureRate, zones.isEmpty() ? List.of(config.region() + "a", config.region() + "b",
                config.region() + "c") : new ArrayList<>(zones), config.attributes(), Duration.ofSeconds(10));
        java.net.http.HttpClient shared = HttpServerChannel.newClient();
        return HollowFleet.start(settings, i -> new HttpServerChannel(config.serverUrl(), config.region(),
                config.accessKeyId(), config.secretAccessKey(), InstantSource.system(), shared),
                InstantSource.system(), new Random());
    }
}
