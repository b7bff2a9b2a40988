package io.berth.ecs.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.task.Task;
import io.berth.ecs.EcsJson;
import io.berth.ecs.tag.Tag;
import io.berth.ecs.tag.Tags;
import java.time.Instant;
import java.util.List;

/** A service in the wire shape of CreateService / DescribeServices. */
final class ServiceJson {
    private ServiceJson() {
    }

    /**
     * @param tasks the service's tasks, for its counts
     * @param tags the tags to show, null to leave {@code tags} out (DescribeServices without TAGS)
     */
    static ObjectNode render(Services services, String clusterArn, Service s, List<Task> tasks, List<Tag> tags) {
        ObjectNode n = EcsJson.object();
        n.put("serviceArn", services.arn(s));
        n.put("serviceName", s.name());
        n.put("clusterArn", clusterArn);
        n.set("loadBalancers", array(s.loadBalancers()));
        n.set("serviceRegistries", array(s.serviceRegistries()));
        n.put("status", s.status().name());
        n.put("desiredCount", s.desiredCount());
        ServiceTasks.Counts counts = ServiceTasks.count(tasks, null);
        n.put("runningCount", counts.running());
        n.put("pendingCount", counts.pending());
        n.put("launchType", s.launchType());
        if (s.platformVersion() != null) {
            n.put("platformVersion", s.platformVersion());
        }
        n.put("taskDefinition", s.taskDefinition());
        ObjectNode config = n.putObject("deploymentConfiguration");
        config.putObject("deploymentCircuitBreaker")
                .put("enable", s.deploymentConfiguration().circuitBreaker())
                .put("rollback", s.deploymentConfiguration().rollback());
        config.put("maximumPercent", s.deploymentConfiguration().maximumPercent());
        config.put("minimumHealthyPercent", s.deploymentConfiguration().minimumHealthyPercent());
        ArrayNode deployments = n.putArray("deployments");
        for (ServiceDeployment d : s.deployments()) {
            deployments.add(deployment(s, d, tasks));
        }
        if (s.roleArn() != null) {
            n.put("roleArn", s.roleArn());
        }
        ArrayNode events = n.putArray("events");
        for (ServiceEvent e : s.events()) {
            ObjectNode en = events.addObject().put("id", e.id());
            time(en, "createdAt", e.createdAt());
            en.put("message", e.message());
        }
        time(n, "createdAt", s.createdAt());
        n.set("placementConstraints", array(s.placementConstraints()));
        n.set("placementStrategy", array(s.placementStrategy()));
        if (s.networkConfiguration() != null) {
            n.set("networkConfiguration", s.networkConfiguration().deepCopy());
        }
        if (s.healthCheckGracePeriodSeconds() != null) {
            n.put("healthCheckGracePeriodSeconds", s.healthCheckGracePeriodSeconds());
        }
        n.put("schedulingStrategy", s.schedulingStrategy().name());
        n.putObject("deploymentController").put("type", "ECS");
        if (tags != null) {
            n.set("tags", Tags.toJson(tags));
        }
        n.put("createdBy", s.createdBy());
        n.put("enableECSManagedTags", s.enableEcsManagedTags());
        n.put("propagateTags", s.propagateTags() == null ? "NONE" : s.propagateTags());
        n.put("enableExecuteCommand", s.enableExecuteCommand());
        return n;
    }

    private static ObjectNode deployment(Service s, ServiceDeployment d, List<Task> tasks) {
        ObjectNode n = EcsJson.object();
        n.put("id", d.id());
        n.put("status", d.status());
        n.put("taskDefinition", d.taskDefinition());
        boolean primary = ServiceDeployment.PRIMARY.equals(d.status());
        n.put("desiredCount", primary ? s.desiredCount() : ServiceTasks.wanted(tasks, d.id()));
        ServiceTasks.Counts counts = ServiceTasks.count(tasks, d.id());
        n.put("pendingCount", counts.pending());
        n.put("runningCount", counts.running());
        n.put("failedTasks", d.failedTasks());
        time(n, "createdAt", d.createdAt());
        time(n, "updatedAt", d.updatedAt());
        n.put("launchType", d.launchType());
        if (d.platformVersion() != null) {
            n.put("platformVersion", d.platformVersion());
        }
        if (d.networkConfiguration() != null) {
            n.set("networkConfiguration", d.networkConfiguration().deepCopy());
        }
        n.put("rolloutState", d.rolloutState().name());
        n.put("rolloutStateReason", d.rolloutStateReason());
        return n;
    }

    private static ArrayNode array(JsonNode node) {
        return node != null && node.isArray() ? ((ArrayNode) node).deepCopy() : EcsJson.array();
    }

    private static void time(ObjectNode n, String field, Instant at) {
        if (at != null) {
            n.put(field, at.toEpochMilli() / 1000.0);
        }
    }
}
