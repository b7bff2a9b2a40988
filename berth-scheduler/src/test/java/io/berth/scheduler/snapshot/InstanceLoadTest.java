package io.berth.scheduler.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.instance.ContainerInstance;
import io.berth.core.task.Allocation;
import io.berth.core.task.TaskStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceLoadTest {
    @Test
    void addingAnAllocationGivesWhatSummingAgainGives() {
        ContainerInstance instance = InstanceBuilder.instance("a").reservedTcp(22)
                .task("service:web", TaskStatus.RUNNING, new Allocation(100, 200, List.of(80), List.of(), "service:web"))
                .task("family:job", TaskStatus.RUNNING, new Allocation(50, 60, List.of(), List.of(53), "family:job"))
                .containerInstance();
        for (Allocation more : List.of(new Allocation(10, 20, List.of(), List.of(), "service:web"),
                new Allocation(10, 20, List.of(8080), List.of(5353), "family:other"),
                new Allocation(1, 2, List.of(), List.of()))) {
            assertThat(InstanceLoad.of(instance).plus(more))
                    .isEqualTo(InstanceLoad.of(instance.withAllocation("new", more)));
        }
    }
}
