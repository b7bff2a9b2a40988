package io.berth.ecs.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.agent.DesiredState;
import io.berth.core.agent.DesiredStateMessage;
import io.berth.core.agent.DesiredTask;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DesiredStateJsonTest {
    private final DesiredStateJson json = new DesiredStateJson(AgentChannelRoute.JSON);

    @Test
    void encodesTheMessageAsTheMapperDoesReusingEachTasksBytes() throws Exception {
        DesiredTask a = new DesiredTask("arn:a", "c", "web", "3", "RUNNING", "arn:td", "{\"family\":\"web\\\"\"}",
                null, Map.of("web/80/tcp", 8080), null, new DesiredTask.RegistryCredentials("h:1", "AWS", "p"));
        DesiredTask b = new DesiredTask("arn:b", "c", "web", "3", "STOPPED", "arn:td", "{\"family\":\"web\\\"\"}",
                "{}", Map.of(), "Task stopped by user", null);
        DesiredTask c = new DesiredTask("arn:c", "c", "api", "1", "RUNNING", "arn:td2", "{\"family\":\"api\"}",
                "{}", Map.of(), null, null);
        for (DesiredState s : List.of(new DesiredState(7, List.of(a, b, c)), new DesiredState(8, List.of(b)),
                new DesiredState(9, List.of()),
                new DesiredState(10, List.of(c), new DesiredState.Delta("t-1", true, List.of("arn:a"))),
                new DesiredState(11, List.of(a), new DesiredState.Delta("t-2", false, List.of())))) {
            byte[] ours = json.encode(s);

            com.fasterxml.jackson.databind.node.ObjectNode mapped = (com.fasterxml.jackson.databind.node.ObjectNode)
                    AgentChannelRoute.JSON.readTree(AgentChannelRoute.JSON.writeValueAsBytes(DesiredStateMessage.of(s)));
            mapped.properties().removeIf(e -> e.getValue().isNull()); // the delta's fields, when there is none
            assertThat(AgentChannelRoute.JSON.readTree(ours)).isEqualTo(mapped);
            assertThat(AgentChannelRoute.JSON.readValue(ours, DesiredStateMessage.class).state()).isEqualTo(s);
        }
        assertThat(AgentChannelRoute.JSON.readTree(json.encode(new DesiredState(7, List.of(a, b, c))))
                .path("definitions")).hasSize(2);
    }
}
