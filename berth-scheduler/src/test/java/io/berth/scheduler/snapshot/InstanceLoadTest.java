package io.berth.scheduler.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.task.Allocation;
import io.berth.core.task.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceLoadTest {
    @Test
    void addingATaskGivesWhatSummingAgainGives() {
        List<TaskView> tasks = new ArrayList<>(List.of(
                new TaskView("t1", "service:web", null, "web", TaskStatus.RUNNING,
                        new Allocation(100, 200, List.of(80), List.of(), "service:web")),
                new TaskView("t2", "family:job", "job", null, TaskStatus.PENDING,
                        new Allocation(50, 60, List.of(), List.of(53), "family:job")),
                new TaskView("t3", "family:job", "job", null, TaskStatus.STOPPED,
                        new Allocation(50, 60, List.of(9), List.of(), "family:job"))));
        InstanceView view = new InstanceView(InstanceBuilder.instance("a").reservedTcp(22).containerInstance(), true,
                tasks);
        InstanceLoad added = view.load();
        for (TaskView more : List.of(
                new TaskView("n1", "service:web", null, "web", TaskStatus.RUNNING, new Allocation(10, 20, List.of(), List.of())),
                new TaskView("n2", "family:other", "other", null, TaskStatus.PENDING,
                        new Allocation(10, 20, List.of(8080), List.of(5353))),
                new TaskView("n3", null, null, null, TaskStatus.STOPPED, new Allocation(1, 2, List.of(), List.of())))) {
            tasks.add(more);
            added = added.plus(more);
            assertThat(added).isEqualTo(InstanceLoad.of(view.instance(), tasks));
        }
    }
}
