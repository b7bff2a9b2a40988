package io.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.berth.core.runtime.ContainerState;
import io.berth.core.runtime.ContainerState.PortBinding;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContainerStatesTest {
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** Trimmed from dockerd 20.10's GET /containers/{id}/json. */
    private static final String RUNNING = """
            {"Id": "c98448ce9b8f", "Created": "2026-11-24T23:41:12.266836071Z", "Name": "/web-1",
             "Image": "sha256:91e6316be520",
             "State": {"Status": "running", "Running": true, "OOMKilled": false, "Dead": false, "Pid": 31151,
                       "ExitCode": 0, "Error": "", "StartedAt": "2026-11-24T23:41:12.573510256Z",
                       "FinishedAt": "0001-01-01T00:00:00Z",
                       "Health": {"Status": "healthy", "FailingStreak": 0, "Log": []}},
             "Config": {"Image": "berth-test/httpd:1", "Labels": {"berth.test": "manual"}},
             "NetworkSettings": {"Ports": {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "32773"},
                                                       {"HostIp": "::1", "HostPort": "32773"}],
                                           "9000/udp": null}}}
            """;

    private static final String EXITED = """
            {"Id": "d1", "Created": "2026-11-24T23:41:12Z", "Name": "/job",
             "Image": "sha256:044afe3a6069",
             "State": {"Status": "exited", "Running": false, "OOMKilled": true, "ExitCode": 137, "Error": "",
                       "StartedAt": "2026-11-24T23:41:13Z", "FinishedAt": "2026-11-24T23:41:14.5Z"},
             "Config": {"Image": "berth-test/exit:1"},
             "NetworkSettings": {"Ports": {}}}
            """;

    @Test
    void aRunningContainer() throws Exception {
        ContainerState s = ContainerStates.from(JSON.readValue(RUNNING, InspectContainerResponse.class));
        assertThat(s.id()).isEqualTo("c98448ce9b8f");
        assertThat(s.name()).isEqualTo("web-1");
        assertThat(s.image()).isEqualTo("berth-test/httpd:1");
        assertThat(s.imageId()).isEqualTo("sha256:91e6316be520");
        assertThat(s.running()).isTrue();
        assertThat(s.exitCode()).isNull();
        assertThat(s.error()).isNull();
        assertThat(s.health()).isEqualTo("healthy");
        assertThat(s.createdAt()).isEqualTo(Instant.parse("2026-11-24T23:41:12.266836071Z"));
        assertThat(s.startedAt()).isEqualTo(Instant.parse("2026-11-24T23:41:12.573510256Z"));
        assertThat(s.finishedAt()).isNull();
        assertThat(s.labels()).containsEntry("berth.test", "manual");
        assertThat(s.ports()).containsExactly(new PortBinding(8080, "tcp", "127.0.0.1", 32773),
                new PortBinding(8080, "tcp", "::1", 32773));
    }

    @Test
    void anExitedContainer() throws Exception {
        ContainerState s = ContainerStates.from(JSON.readValue(EXITED, InspectContainerResponse.class));
        assertThat(s.exited()).isTrue();
        assertThat(s.exitCode()).isEqualTo(137);
        assertThat(s.oomKilled()).isTrue();
        assertThat(s.health()).isEqualTo("none");
        assertThat(s.labels()).isEmpty();
        assertThat(s.ports()).isEmpty();
        assertThat(s.finishedAt()).isEqualTo(Instant.parse("2026-11-24T23:41:14.500Z"));
    }

    @Test
    void dockersZeroTimeAndNonsenseAreNoTime() {
        assertThat(ContainerStates.timestamp("0001-01-01T00:00:00Z")).isNull();
        assertThat(ContainerStates.timestamp("")).isNull();
        assertThat(ContainerStates.timestamp(null)).isNull();
        assertThat(ContainerStates.timestamp("yesterday")).isNull();
        assertThat(ContainerStates.timestamp("2026-01-02T03:04:05.123456789+01:00"))
                .isEqualTo(Instant.parse("2026-01-02T02:04:05.123456789Z"));
    }
}
