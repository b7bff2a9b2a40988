package io.berth.ecs.taskdef;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.arn.Account;
import io.berth.ecs.EcsJson;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The wire form of a task definition (the API's {@code TaskDefinition} shape): what was registered,
 * exactly, plus what ECS adds. Added: {@code taskDefinitionArn}, {@code revision}, {@code status},
 * {@code compatibilities}, {@code requiresAttributes} (when there are any), {@code registeredAt},
 * {@code registeredBy}, {@code deregisteredAt} and {@code deleteRequestedAt} once they happened; the
 * integer forms of task {@code cpu} and {@code memory}; {@code volumes: []} and
 * {@code placementConstraints: []} when absent; and per container the defaults ECS shows (cpu 0,
 * essential true, empty environment, mountPoints, volumesFrom, systemControls and portMappings,
 * protocol tcp, host port = container port for awsvpc and host, health check interval 30, timeout 5,
 * retries 3). {@code networkMode} and {@code requiresCompatibilities} appear only when registered,
 * as on AWS (aws-cli examples for register-, describe-, deregister- and delete-task-definitions).
 * Stateless.
 */
public final class TaskDefinitionJson {
    /** Task members in the order of the API's TaskDefinition shape; the rest follow as registered. */
    private static final List<String> ORDER = List.of("taskDefinitionArn", "containerDefinitions", "family",
            "taskRoleArn", "executionRoleArn", "networkMode", "revision", "volumes", "status", "requiresAttributes",
            "placementConstraints", "compatibilities", "runtimePlatform", "requiresCompatibilities", "cpu", "memory",
            "inferenceAccelerators", "pidMode", "ipcMode", "proxyConfiguration", "registeredAt", "deregisteredAt",
            "deleteRequestedAt", "registeredBy", "ephemeralStorage", "enableFaultInjection");
    private static final List<String> CONTAINER_LISTS = List.of("environment", "mountPoints", "volumesFrom",
            "systemControls");
    /** HealthCheck defaults (API doc of HealthCheck; terraform-provider-aws normalizes the same three). */
    private static final List<Map.Entry<String, Integer>> HEALTH_CHECK_DEFAULTS = List.of(
            Map.entry("interval", 30), Map.entry("timeout", 5), Map.entry("retries", 3));

    private TaskDefinitionJson() {
    }

    public static ObjectNode render(TaskDefinition td, Account account) {
        ObjectNode spec = td.spec();
        NetworkMode mode = td.networkMode();
        ObjectNode added = EcsJson.object();
        added.put("taskDefinitionArn", td.arn(account));
        ArrayNode containers = added.putArray("containerDefinitions");
        spec.path("containerDefinitions").forEach(c -> containers.add(container((ObjectNode) c, mode)));
        added.put("revision", td.revision());
        added.set("volumes", spec.has("volumes") ? spec.get("volumes") : EcsJson.array());
        added.put("status", td.status().name());
        List<String> attributes = RequiredAttributes.of(spec);
        if (!attributes.isEmpty()) {
            ArrayNode array = added.putArray("requiresAttributes");
            attributes.forEach(name -> array.addObject().put("name", name));
        }
        added.set("placementConstraints",
                spec.has("placementConstraints") ? spec.get("placementConstraints") : EcsJson.array());
        ArrayNode compatibilities = added.putArray("compatibilities");
        td.compatibilities().forEach(c -> compatibilities.add(c.name()));
        td.taskCpu().ifPresent(cpu -> added.put("cpu", Integer.toString(cpu)));
        td.taskMemory().ifPresent(memory -> added.put("memory", Integer.toString(memory)));
        added.set("registeredAt", timestamp(td.registeredAt()));
        td.deregisteredAt().ifPresent(t -> added.set("deregisteredAt", timestamp(t)));
        td.deleteRequestedAt().ifPresent(t -> added.set("deleteRequestedAt", timestamp(t)));
        added.put("registeredBy", td.registeredBy());

        ObjectNode out = EcsJson.object();
        for (String member : ORDER) {
            JsonNode value = added.has(member) ? added.get(member) : spec.get(member);
            if (value != null) {
                out.set(member, value);
            }
        }
        spec.properties().forEach(e -> {
            if (!out.has(e.getKey()) && !e.getKey().equals("tags")) {
                out.set(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    private static ObjectNode container(ObjectNode registered, NetworkMode mode) {
        ObjectNode c = registered.deepCopy();
        if (!c.has("cpu")) {
            c.put("cpu", 0);
        }
        ArrayNode ports = EcsJson.array();
        for (JsonNode pm : registered.path("portMappings")) {
            ObjectNode p = (ObjectNode) pm.deepCopy();
            if (mode.hostPortIsContainerPort() && p.hasNonNull("containerPort")
                    && p.path("hostPort").asInt(0) == 0) {
                p.set("hostPort", p.get("containerPort"));
            }
            if (!p.has("protocol")) {
                p.put("protocol", "tcp");
            }
            ports.add(p);
        }
        c.set("portMappings", ports);
        if (!c.has("essential")) {
            c.put("essential", true);
        }
        for (String list : CONTAINER_LISTS) {
            if (!c.has(list)) {
                c.putArray(list);
            }
        }
        if (c.get("healthCheck") instanceof ObjectNode hc) {
            for (Map.Entry<String, Integer> d : HEALTH_CHECK_DEFAULTS) {
                if (!hc.has(d.getKey())) {
                    hc.put(d.getKey(), d.getValue());
                }
            }
        }
        return c;
    }

    /** An awsJson timestamp: epoch seconds with milliseconds as the fraction, as ECS sends them. */
    static DecimalNode timestamp(Instant t) {
        return new DecimalNode(BigDecimal.valueOf(t.toEpochMilli(), 3));
    }
}
