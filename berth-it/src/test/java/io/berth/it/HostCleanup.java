package io.berth.it;

import io.berth.core.agent.AgentLabels;
import io.berth.core.runtime.ContainerRuntime;
import io.berth.core.runtime.ContainerState;
import io.berth.core.runtime.TaskCgroups;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a fixture leaves on the host when it stops before its agent cleaned up: the containers, and
 * the task cgroups ({@code /ecs/<task id>}) the agent would have removed with them.
 */
final class HostCleanup {
    private HostCleanup() {
    }

    /** Removes {@code containers}, then the task cgroups of their tasks (best effort). */
    static void removeWithTaskCgroups(ContainerRuntime runtime, List<ContainerState> containers) {
        Set<String> tasks = new LinkedHashSet<>();
        for (ContainerState c : containers) {
            runtime.remove(c.id(), Duration.ofSeconds(30));
            String arn = c.labels().get(AgentLabels.TASK_ARN);
            if (arn != null) {
                tasks.add(arn.substring(arn.lastIndexOf('/') + 1));
            }
        }
        TaskCgroups cgroups = runtime.taskCgroups(Duration.ofSeconds(10));
        for (String task : tasks) {
            try {
                cgroups.remove(task);
            } catch (RuntimeException ignored) {
                // best effort: a cgroup still in use stays
            }
        }
    }
}
