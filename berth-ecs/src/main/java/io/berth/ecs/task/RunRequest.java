package io.berth.ecs.task;

import io.berth.ecs.tag.Tag;
import io.berth.scheduler.placement.PlacementConstraint;
import io.berth.scheduler.placement.PlacementStrategy;
import java.util.List;

/**
 * A RunTask or StartTask, decoded.
 *
 * @param instanceIds for StartTask: the instances to start one task on each; null for RunTask
 * @param overridesJson the request's {@code overrides}, "{}" when none
 */
public record RunRequest(String cluster, String taskDefinition, int count, String group, String startedBy,
                         String overridesJson, List<Tag> tags, String propagateTags, String clientToken,
                         List<String> instanceIds, List<PlacementStrategy> strategies,
                         List<PlacementConstraint> constraints) {
    public RunRequest {
        tags = tags == null ? List.of() : List.copyOf(tags);
        strategies = strategies == null ? List.of() : List.copyOf(strategies);
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
    }

    /** Without placement strategies or constraints of its own. */
    public RunRequest(String cluster, String taskDefinition, int count, String group, String startedBy,
                      String overridesJson, List<Tag> tags, String propagateTags, String clientToken,
                      List<String> instanceIds) {
        this(cluster, taskDefinition, count, group, startedBy, overridesJson, tags, propagateTags, clientToken,
                instanceIds, List.of(), List.of());
    }
}
