package io.berth.agent.hollow;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.agent.ContainerReport;
import java.util.List;
import org.junit.jupiter.api.Test;

class HollowContainersTest {
    private static final String TD = """
            {"family":"web","containerDefinitions":[
              {"name":"app","essential":true,"healthCheck":{"command":["CMD","true"]}},
              {"name":"sidecar","essential":false}]}""";

    @Test
    void reportsTheDefinitionsContainersWithCheckedOnesHealthyWhileRunning() {
        List<HollowContainers.Shape> shapes = HollowContainers.parse(TD);

        assertThat(HollowContainers.taskHealth(shapes, "RUNNING")).isEqualTo("HEALTHY");
        assertThat(HollowContainers.taskHealth(shapes, "PENDING")).isEqualTo("UNKNOWN");
        assertThat(HollowContainers.reports("arn:t", shapes, "RUNNING", null))
                .extracting(ContainerReport::name, ContainerReport::healthStatus, ContainerReport::lastStatus)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("app", "HEALTHY", "RUNNING"),
                        org.assertj.core.groups.Tuple.tuple("sidecar", "UNKNOWN", "RUNNING"));
    }

    @Test
    void withoutChecksOrADefinitionTheTaskIsUnknown() {
        assertThat(HollowContainers.taskHealth(HollowContainers.parse("{\"containerDefinitions\":[{\"name\":\"a\"}]}"),
                "RUNNING")).isEqualTo("UNKNOWN");
        assertThat(HollowContainers.parse(null)).extracting(HollowContainers.Shape::name).containsExactly("hollow");
    }
}
