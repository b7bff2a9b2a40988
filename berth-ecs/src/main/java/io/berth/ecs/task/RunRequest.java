package io.berth.ecs.task;

import io.berth.ecs.tag.Tag;
import java.util.List;

/**
 * A RunTask or StartTask, decoded.
 *
 * @param instanceIds for StartTask: the instances to start one task on each; null for RunTask
 * @param overridesJson the request's {@code overrides}, "{}" when none
 */
public record RunRequest(String cluster, String taskDefinition, int count, String group, String startedBy,
                         String overridesJson, List<Tag> tags, String propagateTags, String clientToken,
                         List<String> instanceIds) {
    public RunRequest {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
