package io.berth.ecs.task;

import io.berth.core.task.Task;
import java.util.List;

/** The tasks a RunTask or StartTask made, and the failures (ARN and ECS's reason) for those it could not. */
public record RunResult(List<Task> tasks, List<Failure> failures) {
    public RunResult {
        tasks = List.copyOf(tasks);
        failures = List.copyOf(failures);
    }

    public record Failure(String arn, String reason, String detail) {
    }
}
