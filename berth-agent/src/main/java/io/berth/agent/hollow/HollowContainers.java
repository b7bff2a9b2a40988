package io.berth.agent.hollow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.agent.ContainerReport;
import io.berth.core.agent.DesiredTask;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The containers a hollow task pretends to run: those of its task definition, each with a health
 * check reported HEALTHY while it runs (a hollow container never fails its checks), so services on
 * hollow instances roll on health as they would on real ones. Shapes are read once per definition.
 */
final class HollowContainers {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One container definition: its name, and whether it has a health check and is essential. */
    record Shape(String name, boolean healthChecked, boolean essential) {
    }

    private final Map<String, List<Shape>> byDefinition = new ConcurrentHashMap<>();

    List<Shape> of(DesiredTask task) {
        String key = task.taskDefinitionArn() == null ? "" : task.taskDefinitionArn();
        return byDefinition.computeIfAbsent(key, k -> parse(task.taskDefinitionJson()));
    }

    static List<Shape> parse(String definitionJson) {
        List<Shape> shapes = new ArrayList<>();
        try {
            JsonNode td = JSON.readTree(definitionJson == null ? "{}" : definitionJson);
            for (JsonNode c : td.path("containerDefinitions")) {
                shapes.add(new Shape(c.path("name").asText("hollow"), c.hasNonNull("healthCheck"),
                        c.path("essential").asBoolean(true)));
            }
        } catch (IOException e) {
            // an unreadable definition runs as one plain container
        }
        return shapes.isEmpty() ? List.of(new Shape("hollow", false, true)) : List.copyOf(shapes);
    }

    /** The task's healthStatus: HEALTHY while running if an essential container has a check. */
    static String taskHealth(List<Shape> shapes, String status) {
        boolean checked = shapes.stream().anyMatch(s -> s.healthChecked() && s.essential());
        return checked && "RUNNING".equals(status) ? "HEALTHY" : "UNKNOWN";
    }

    static List<ContainerReport> reports(String taskArn, List<Shape> shapes, String status, String reason) {
        List<ContainerReport> out = new ArrayList<>(shapes.size());
        boolean running = "RUNNING".equals(status);
        for (Shape s : shapes) {
            out.add(new ContainerReport(s.name(), "hollow-" + Integer.toHexString(taskArn.hashCode()) + "-" + s.name(),
                    running ? "RUNNING" : "STOPPED", "STOPPED".equals(status) ? 0 : null, reason, List.of(),
                    s.healthChecked() && running ? "HEALTHY" : "UNKNOWN", null));
        }
        return out;
    }
}
