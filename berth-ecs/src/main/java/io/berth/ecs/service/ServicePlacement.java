package io.berth.ecs.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.scheduler.placement.PlacementConstraint;
import io.berth.scheduler.placement.PlacementStrategy;
import java.util.ArrayList;
import java.util.List;

/**
 * A service's placementStrategy and placementConstraints (kept as their wire JSON) as the placement
 * engine takes them; parsing them is also their validation at CreateService and UpdateService.
 * Without strategies a service's tasks are spread across availability zones (the engine's service
 * default).
 */
final class ServicePlacement {
    private ServicePlacement() {
    }

    static List<PlacementStrategy> strategies(JsonNode wire) {
        List<PlacementStrategy> result = new ArrayList<>();
        if (wire != null) {
            for (JsonNode s : wire) {
                result.add(PlacementStrategy.of(s.path("type").asText(null), s.path("field").asText(null)));
            }
        }
        return result;
    }

    static List<PlacementConstraint> constraints(JsonNode wire) {
        List<PlacementConstraint> result = new ArrayList<>();
        if (wire != null) {
            for (JsonNode c : wire) {
                result.add(PlacementConstraint.of(c.path("type").asText(null), c.path("expression").asText(null)));
            }
        }
        return result;
    }
}
