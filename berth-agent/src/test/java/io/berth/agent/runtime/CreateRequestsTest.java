package io.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.command.CreateContainerCmdImpl;
import io.berth.core.runtime.ContainerSpec;
import io.berth.core.runtime.ContainerState.PortBinding;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The create-container request on the wire, as docker-java serializes it. */
class CreateRequestsTest {
    private static final ObjectMapper WIRE = DockerClientConfig.getDefaultObjectMapper();

    @Test
    void everyFieldOfTheSpecIsOnTheWire() throws Exception {
        ContainerSpec spec = new ContainerSpec("web-1", "app:1", List.of("serve", "--port", "80"), List.of("/init"),
                Map.of("B", "2", "A", "1"), "/srv", "1000:1000", Map.of("berth.task", "t1"), "bridge",
                List.of(new PortBinding(80, "tcp", "127.0.0.1", 0), new PortBinding(53, "udp", null, 5353)), 256,
                128L << 20, 64L << 20, List.of(new ContainerSpec.Ulimit("nofile", 1024, 4096)), true, true, false,
                List.of("data:/data:ro"), List.of("sidecar:ro"),
                new ContainerSpec.HealthCheck(List.of("CMD-SHELL", "curl -f localhost"), Duration.ofSeconds(5),
                        Duration.ofMillis(1500), 3, Duration.ofSeconds(10)),
                Duration.ofMillis(2500), List.of("db:10.0.0.5")).withCgroupParent("/ecs/0123abcd");
        CreateContainerCmd cmd = CreateRequests.fill(command("app:1"), spec);
        JsonNode wire = WIRE.valueToTree(cmd);

        assertThat(cmd.getName()).isEqualTo("web-1"); // a query parameter, not in the body
        assertThat(wire.path("Image").asText()).isEqualTo("app:1");
        assertThat(strings(wire.path("Cmd"))).containsExactly("serve", "--port", "80");
        assertThat(strings(wire.path("Entrypoint"))).containsExactly("/init");
        assertThat(strings(wire.path("Env"))).containsExactly("A=1", "B=2");
        assertThat(wire.path("WorkingDir").asText()).isEqualTo("/srv");
        assertThat(wire.path("User").asText()).isEqualTo("1000:1000");
        assertThat(wire.path("Labels").path("berth.task").asText()).isEqualTo("t1");
        assertThat(wire.path("StopTimeout").asInt()).isEqualTo(3);
        assertThat(wire.path("ExposedPorts").has("80/tcp")).isTrue();
        assertThat(wire.path("ExposedPorts").has("53/udp")).isTrue();

        JsonNode health = wire.path("Healthcheck");
        assertThat(strings(health.path("Test"))).containsExactly("CMD-SHELL", "curl -f localhost");
        assertThat(health.path("Interval").asLong()).isEqualTo(5_000_000_000L);
        assertThat(health.path("Timeout").asLong()).isEqualTo(1_500_000_000L);
        assertThat(health.path("StartPeriod").asLong()).isEqualTo(10_000_000_000L);
        assertThat(health.path("Retries").asInt()).isEqualTo(3);

        JsonNode host = wire.path("HostConfig");
        assertThat(host.path("PortBindings").path("80/tcp").get(0).path("HostIp").asText()).isEqualTo("127.0.0.1");
        assertThat(host.path("PortBindings").path("80/tcp").get(0).path("HostPort").asText()).isEmpty();
        assertThat(host.path("PortBindings").path("53/udp").get(0).path("HostIp").asText()).isEmpty();
        assertThat(host.path("PortBindings").path("53/udp").get(0).path("HostPort").asText()).isEqualTo("5353");
        assertThat(host.path("NetworkMode").asText()).isEqualTo("bridge");
        assertThat(host.path("CpuShares").asInt()).isEqualTo(256);
        assertThat(host.path("Memory").asLong()).isEqualTo(128L << 20);
        assertThat(host.path("MemoryReservation").asLong()).isEqualTo(64L << 20);
        assertThat(host.path("Ulimits").get(0).path("Name").asText()).isEqualTo("nofile");
        assertThat(host.path("Ulimits").get(0).path("Soft").asLong()).isEqualTo(1024);
        assertThat(host.path("Ulimits").get(0).path("Hard").asLong()).isEqualTo(4096);
        assertThat(host.path("ReadonlyRootfs").asBoolean()).isTrue();
        assertThat(host.path("Init").asBoolean()).isTrue();
        assertThat(host.path("Privileged").asBoolean()).isFalse();
        assertThat(strings(host.path("Binds"))).containsExactly("data:/data:ro");
        assertThat(strings(host.path("VolumesFrom"))).containsExactly("sidecar:ro");
        assertThat(strings(host.path("ExtraHosts"))).containsExactly("db:10.0.0.5");
        assertThat(host.path("CgroupParent").asText()).isEqualTo("/ecs/0123abcd");
    }

    @Test
    void nullsLeaveTheEngineDefaults() {
        ContainerSpec spec = new ContainerSpec("c", "app:1", null, null, null, null, null, null, null, null, 0, null,
                null, null, false, false, false, null, null, null, null, null);
        JsonNode wire = WIRE.valueToTree(CreateRequests.fill(command("app:1"), spec));
        assertThat(absent(wire, "Cmd")).isTrue();
        assertThat(absent(wire, "Entrypoint")).isTrue();
        assertThat(absent(wire, "Healthcheck")).isTrue();
        assertThat(absent(wire, "StopTimeout")).isTrue();
        assertThat(absent(wire.path("HostConfig"), "CpuShares")).isTrue();
        assertThat(absent(wire.path("HostConfig"), "Memory")).isTrue();
        assertThat(absent(wire.path("HostConfig"), "NetworkMode")).isTrue();
        assertThat(absent(wire.path("HostConfig"), "CgroupParent")).isTrue();
    }

    @Test
    void graceIsRoundedUpToWholeSeconds() {
        assertThat(CreateRequests.seconds(Duration.ZERO)).isZero();
        assertThat(CreateRequests.seconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(CreateRequests.seconds(Duration.ofSeconds(30))).isEqualTo(30);
        assertThat(CreateRequests.seconds(Duration.ofMillis(-5))).isZero();
    }

    /** Not sent, or sent as null: both leave the engine's default. */
    private static boolean absent(JsonNode object, String field) {
        return object.path(field).isMissingNode() || object.path(field).isNull();
    }

    /** A create command that is never executed: only serialized. */
    private static CreateContainerCmd command(String image) {
        return new CreateContainerCmdImpl(cmd -> {
            throw new UnsupportedOperationException("not sent");
        }, null, image);
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
