package io.berth.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.agent.ContainerReport.NetworkBinding;
import io.berth.core.runtime.ContainerState.PortBinding;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskReportsTest {
    private static final TaskSpec.PortRange RANGE = new TaskSpec.PortRange(8000, 8002, "tcp");

    @Test
    void aRangeOnContiguousHostPortsIsOneBindingWithBothRanges() {
        List<PortBinding> ports = List.of(new PortBinding(8001, "tcp", "127.0.0.1", 40001),
                new PortBinding(8000, "tcp", "127.0.0.1", 40000), new PortBinding(8002, "tcp", "127.0.0.1", 40002),
                new PortBinding(80, "tcp", "127.0.0.1", 32768));

        assertThat(TaskReports.bindings(ports, List.of(RANGE))).containsExactly(
                new NetworkBinding("127.0.0.1", 0, 0, "tcp", "8000-8002", "40000-40002"),
                new NetworkBinding("127.0.0.1", 80, 32768, "tcp"));
    }

    @Test
    void aRangeTheEngineScatteredIsReportedPortByPort() {
        List<PortBinding> ports = List.of(new PortBinding(8000, "tcp", "", 40000),
                new PortBinding(8001, "tcp", "", 40007), new PortBinding(8002, "tcp", "", 40002));

        assertThat(TaskReports.bindings(ports, List.of(RANGE))).containsExactly(
                new NetworkBinding("0.0.0.0", 8000, 40000, "tcp"), new NetworkBinding("0.0.0.0", 8001, 40007, "tcp"),
                new NetworkBinding("0.0.0.0", 8002, 40002, "tcp"));
    }
}
