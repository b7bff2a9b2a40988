package io.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.core.DockerClientConfig;
import io.berth.core.runtime.ContainerEvent;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventSubscriptionTest {

    /** A "die" event as dockerd 20.10 streams it from GET /events. */
    private static final String DIE = """
            {"status":"die","id":"8b1c","from":"berth-test/exit:1","Type":"container","Action":"die",
             "Actor":{"ID":"8b1c","Attributes":{"berth.test":"run-1","exitCode":"4","image":"berth-test/exit:1",
                                                "name":"berth-it-1"}},
             "scope":"local","time":1764027672,"timeNano":1764027672123456789}
            """;

    @Test
    void anEngineEventBecomesAContainerEventWithTheContainersLabelsOnly() throws Exception {
        Event event = DockerClientConfig.getDefaultObjectMapper().readValue(DIE, Event.class);
        ContainerEvent e = EventSubscription.toContainerEvent(event);
        assertThat(e.containerId()).isEqualTo("8b1c");
        assertThat(e.action()).isEqualTo("die");
        assertThat(e.labels()).containsExactlyEntriesOf(Map.of("berth.test", "run-1"));
        assertThat(e.at()).isEqualTo(Instant.ofEpochSecond(1764027672, 123456789));
    }
}
