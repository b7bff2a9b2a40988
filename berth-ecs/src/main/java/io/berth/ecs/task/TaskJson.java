package io.berth.ecs.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.agent.ContainerReport;
import io.berth.core.task.Task;
import io.berth.core.task.TaskContainer;
import io.berth.ecs.EcsJson;
import io.berth.ecs.tag.Tag;
import io.berth.ecs.tag.Tags;
import java.time.Instant;
import java.util.List;

/** A task in the wire shape of DescribeTasks / RunTask. */
final class TaskJson {
    private TaskJson() {
    }

    static ObjectNode render(Tasks tasks, Task t, List<Tag> tagList) {
        ObjectNode n = EcsJson.object();
        String arn = tasks.arn(t);
        n.putArray("attachments");
        ArrayNode attributes = n.putArray("attributes");
        attributes.addObject().put("name", "ecs.cpu-architecture").put("value", "x86_64");
        if (t.availabilityZone() != null) {
            n.put("availabilityZone", t.availabilityZone());
        }
        n.put("clusterArn", tasks.clusters().arn(t.cluster()));
        n.put("connectivity", "CONNECTED");
        time(n, "connectivityAt", t.createdAt());
        n.put("containerInstanceArn", tasks.instances().arn(t.cluster(), t.containerInstanceId()));
        ArrayNode containers = n.putArray("containers");
        for (TaskContainer c : t.containers()) {
            ObjectNode cn = containers.addObject();
            cn.put("containerArn", tasks.containerArn(t, c.id()));
            cn.put("taskArn", arn);
            cn.put("name", c.name());
            cn.put("image", c.image());
            if (c.imageDigest() != null) {
                cn.put("imageDigest", c.imageDigest());
            }
            if (c.runtimeId() != null) {
                cn.put("runtimeId", c.runtimeId());
            }
            cn.put("lastStatus", c.lastStatus());
            if (c.exitCode() != null) {
                cn.put("exitCode", c.exitCode());
            }
            if (c.reason() != null) {
                cn.put("reason", c.reason());
            }
            ArrayNode bindings = cn.putArray("networkBindings");
            for (ContainerReport.NetworkBinding b : c.networkBindings()) {
                if (b.range()) {
                    bindings.addObject().put("bindIP", b.bindIP()).put("protocol", b.protocol())
                            .put("containerPortRange", b.containerPortRange()).put("hostPortRange", b.hostPortRange());
                } else {
                    bindings.addObject().put("bindIP", b.bindIP()).put("containerPort", b.containerPort())
                            .put("hostPort", b.hostPort()).put("protocol", b.protocol());
                }
            }
            cn.putArray("networkInterfaces");
            cn.put("healthStatus", c.healthStatus() == null ? "UNKNOWN" : c.healthStatus());
            cn.put("cpu", c.cpu());
            if (c.memory() != null) {
                cn.put("memory", Integer.toString(c.memory()));
            }
            if (c.memoryReservation() != null) {
                cn.put("memoryReservation", Integer.toString(c.memoryReservation()));
            }
        }
        n.put("cpu", Integer.toString(t.cpu()));
        time(n, "createdAt", t.createdAt());
        n.put("desiredStatus", t.desiredStatus().name());
        n.put("enableExecuteCommand", false);
        time(n, "executionStoppedAt", t.executionStoppedAt());
        n.put("group", t.group());
        n.put("healthStatus", t.healthStatus() == null ? "UNKNOWN" : t.healthStatus());
        n.put("lastStatus", t.lastStatus().name());
        n.put("launchType", t.launchType());
        n.put("memory", Integer.toString(t.memory()));
        n.set("overrides", overrides(t));
        time(n, "pullStartedAt", t.pullStartedAt());
        time(n, "pullStoppedAt", t.pullStoppedAt());
        time(n, "startedAt", t.startedAt());
        if (t.startedBy() != null) {
            n.put("startedBy", t.startedBy());
        }
        if (t.stopCode() != null) {
            n.put("stopCode", t.stopCode().name());
        }
        time(n, "stoppedAt", t.stoppedAt());
        if (t.stoppedReason() != null) {
            n.put("stoppedReason", t.stoppedReason());
        }
        time(n, "stoppingAt", t.stoppingAt());
        n.set("tags", Tags.toJson(tagList));
        n.put("taskArn", arn);
        n.put("taskDefinitionArn", t.taskDefinitionArn());
        n.put("version", t.version());
        return n;
    }

    private static JsonNode overrides(Task t) {
        ObjectNode o;
        try {
            o = (ObjectNode) EcsJson.MAPPER.readTree(t.overridesJson() == null ? "{}" : t.overridesJson());
        } catch (Exception e) {
            o = EcsJson.object();
        }
        if (!o.has("containerOverrides")) {
            ArrayNode list = o.putArray("containerOverrides");
            t.containers().forEach(c -> list.addObject().put("name", c.name()));
        }
        if (!o.has("inferenceAcceleratorOverrides")) {
            o.putArray("inferenceAcceleratorOverrides");
        }
        return o;
    }

    private static void time(ObjectNode n, String field, Instant at) {
        if (at != null) {
            n.put(field, at.toEpochMilli() / 1000.0);
        }
    }
}
