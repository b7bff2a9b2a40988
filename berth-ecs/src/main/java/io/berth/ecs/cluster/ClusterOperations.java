package io.berth.ecs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.core.error.BerthException;
import io.berth.ecs.EcsJson;
import io.berth.ecs.Paging;
import io.berth.ecs.tag.Tags;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The cluster operations of the ECS API: wire JSON in, wire JSON out. */
public final class ClusterOperations {
    private static final Set<String> SETTING_VALUES = Set.of("enabled", "disabled", "enhanced");

    private final Clusters clusters;
    private final Tags tags;

    public ClusterOperations(Clusters clusters, Tags tags) {
        this.clusters = clusters;
        this.tags = tags;
    }

    public ObjectNode createCluster(RequestContext ctx, ObjectNode in) {
        String name = in.hasNonNull("clusterName") ? in.get("clusterName").asText() : Clusters.DEFAULT;
        List<String> providers = new ArrayList<>();
        in.path("capacityProviders").forEach(p -> providers.add(p.asText()));
        for (String p : providers) {
            if (!p.equals("FARGATE") && !p.equals("FARGATE_SPOT")) {
                throw BerthException.invalidParameter("The specified capacity provider '" + p + "' does not exist.");
            }
        }
        Cluster requested = new Cluster(name, Cluster.Status.ACTIVE, settings(in.get("settings")),
                in.get("configuration"), providers, in.get("defaultCapacityProviderStrategy"),
                in.get("serviceConnectDefaults"), ctx.receivedAt());
        Cluster created = clusters.create(requested, Tags.parse(in.get("tags")));
        ObjectNode out = EcsJson.object();
        out.set("cluster", render(created, Set.of("SETTINGS", "CONFIGURATIONS", "TAGS"), true));
        return out;
    }

    public ObjectNode describeClusters(RequestContext ctx, ObjectNode in) {
        Set<String> include = new HashSet<>();
        in.path("include").forEach(i -> include.add(i.asText()));
        List<String> requested = new ArrayList<>();
        in.path("clusters").forEach(c -> requested.add(c.asText()));
        if (requested.isEmpty()) {
            requested.add(Clusters.DEFAULT);
        }
        if (requested.size() > 100) {
            throw BerthException.invalidParameter("At most 100 clusters can be described at once.");
        }
        ArrayNode found = EcsJson.array();
        ArrayNode failures = EcsJson.array();
        for (String id : requested) {
            Optional<Cluster> cluster;
            try {
                cluster = clusters.find(clusters.nameOf(id));
            } catch (BerthException e) {
                cluster = Optional.empty();
            }
            if (cluster.isPresent()) {
                found.add(render(cluster.get(), include, false));
            } else {
                failures.addObject().put("arn", id.startsWith("arn:") ? id : clusters.arn(id)).put("reason", "MISSING");
            }
        }
        ObjectNode out = EcsJson.object();
        out.set("clusters", found);
        out.set("failures", failures);
        return out;
    }

    public ObjectNode listClusters(RequestContext ctx, ObjectNode in) {
        int limit = Paging.limit(in.has("maxResults") ? in.get("maxResults").asInt() : null, 100, 100);
        String after = Paging.afterKey("clusters", in.path("nextToken").asText(null));
        List<Cluster> page = clusters.listActive(after, limit);
        ObjectNode out = EcsJson.object();
        ArrayNode arns = out.putArray("clusterArns");
        page.forEach(c -> arns.add(clusters.arn(c.name())));
        if (page.size() == limit && clusters.moreAfter(page.get(page.size() - 1).name())) {
            out.put("nextToken", Paging.token("clusters", page.get(page.size() - 1).name()));
        }
        return out;
    }

    public ObjectNode updateCluster(RequestContext ctx, ObjectNode in) {
        List<Cluster.Setting> newSettings = in.has("settings") ? settings(in.get("settings")) : null;
        Cluster updated = clusters.update(in.get("cluster").asText(), c -> {
            Cluster next = c;
            if (newSettings != null) {
                next = next.withSettings(merge(next.settings(), newSettings));
            }
            if (in.has("configuration")) {
                next = next.withConfiguration(in.get("configuration"));
            }
            if (in.has("serviceConnectDefaults")) {
                next = next.withServiceConnectDefaults(in.get("serviceConnectDefaults"));
            }
            return next;
        });
        ObjectNode out = EcsJson.object();
        out.set("cluster", render(updated, Set.of("SETTINGS", "CONFIGURATIONS"), true));
        return out;
    }

    public ObjectNode updateClusterSettings(RequestContext ctx, ObjectNode in) {
        List<Cluster.Setting> newSettings = settings(in.get("settings"));
        Cluster updated = clusters.update(in.get("cluster").asText(),
                c -> c.withSettings(merge(c.settings(), newSettings)));
        ObjectNode out = EcsJson.object();
        out.set("cluster", render(updated, Set.of("SETTINGS"), true));
        return out;
    }

    public ObjectNode deleteCluster(RequestContext ctx, ObjectNode in) {
        Cluster deleted = clusters.delete(in.get("cluster").asText());
        ObjectNode out = EcsJson.object();
        out.set("cluster", render(deleted, Set.of("SETTINGS", "CONFIGURATIONS"), true));
        return out;
    }

    private static List<Cluster.Setting> settings(JsonNode node) {
        List<Cluster.Setting> result = new ArrayList<>();
        if (node == null) {
            return result;
        }
        for (JsonNode s : node) {
            String name = s.path("name").asText("containerInsights");
            String value = s.path("value").asText("");
            if (!SETTING_VALUES.contains(value)) {
                throw BerthException.invalidParameter("Invalid value for the cluster setting " + name
                        + ": '" + value + "'. Valid values are enabled, disabled and enhanced.");
            }
            result.add(new Cluster.Setting(name, value));
        }
        return result;
    }

    private static List<Cluster.Setting> merge(List<Cluster.Setting> current, List<Cluster.Setting> changes) {
        List<Cluster.Setting> merged = new ArrayList<>(current);
        for (Cluster.Setting change : changes) {
            merged.removeIf(s -> s.name().equals(change.name()));
            merged.add(change);
        }
        return merged;
    }

    private ObjectNode render(Cluster c, Set<String> include, boolean full) {
        ObjectNode node = EcsJson.object();
        node.put("clusterArn", clusters.arn(c.name()));
        node.put("clusterName", c.name());
        node.put("status", c.status().name());
        ClusterUsage.Counts counts = c.active() ? clusters.counts(c.name()) : ClusterUsage.Counts.NONE;
        node.put("registeredContainerInstancesCount", counts.registeredContainerInstances());
        node.put("runningTasksCount", counts.runningTasks());
        node.put("pendingTasksCount", counts.pendingTasks());
        node.put("activeServicesCount", counts.activeServices());
        ArrayNode statistics = node.putArray("statistics");
        if (include.contains("STATISTICS")) {
            stat(statistics, "runningEC2TasksCount", counts.runningEc2Tasks());
            stat(statistics, "runningFargateTasksCount", counts.runningFargateTasks());
            stat(statistics, "pendingEC2TasksCount", counts.pendingEc2Tasks());
            stat(statistics, "pendingFargateTasksCount", counts.pendingFargateTasks());
            stat(statistics, "runningExternalTasksCount", counts.runningExternalTasks());
            stat(statistics, "pendingExternalTasksCount", counts.pendingExternalTasks());
            stat(statistics, "activeEC2ServiceCount", counts.activeEc2Services());
            stat(statistics, "activeFargateServiceCount", counts.activeFargateServices());
            stat(statistics, "drainingEC2ServiceCount", counts.drainingEc2Services());
            stat(statistics, "drainingFargateServiceCount", counts.drainingFargateServices());
            stat(statistics, "activeExternalServiceCount", counts.activeExternalServices());
            stat(statistics, "drainingExternalServiceCount", counts.drainingExternalServices());
        }
        if (include.contains("TAGS")) {
            node.set("tags", Tags.toJson(tags.of(clusters.arn(c.name()))));
        } else {
            node.putArray("tags");
        }
        if (include.contains("SETTINGS")) {
            ArrayNode settings = node.putArray("settings");
            List<Cluster.Setting> effective = c.settings().isEmpty()
                    ? List.of(new Cluster.Setting("containerInsights", "disabled")) : c.settings();
            effective.forEach(s -> settings.addObject().put("name", s.name()).put("value", s.value()));
        }
        if (include.contains("CONFIGURATIONS") && c.configuration() != null) {
            node.set("configuration", c.configuration().deepCopy());
        }
        ArrayNode providers = node.putArray("capacityProviders");
        c.capacityProviders().forEach(providers::add);
        node.set("defaultCapacityProviderStrategy", c.defaultCapacityProviderStrategy() == null
                ? EcsJson.array() : c.defaultCapacityProviderStrategy().deepCopy());
        if (c.serviceConnectDefaults() != null && c.serviceConnectDefaults().hasNonNull("namespace")) {
            node.putObject("serviceConnectDefaults").put("namespace", c.serviceConnectDefaults().get("namespace").asText());
        }
        if (include.contains("ATTACHMENTS")) {
            node.putArray("attachments");
        }
        return node;
    }

    private static void stat(ArrayNode statistics, String name, int value) {
        statistics.addObject().put("name", name).put("value", Integer.toString(value));
    }
}
