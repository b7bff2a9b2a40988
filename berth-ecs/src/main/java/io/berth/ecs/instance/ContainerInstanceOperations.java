package io.berth.ecs.instance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.core.error.BerthException;
import io.berth.core.instance.ContainerInstance;
import io.berth.ecs.EcsJson;
import io.berth.ecs.Paging;
import io.berth.ecs.cluster.Cluster;
import io.berth.ecs.cluster.Clusters;
import io.berth.ecs.tag.Tags;
import io.berth.ecs.task.Tasks;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The container-instance operations of the ECS API: Register / Deregister / Describe / List /
 * UpdateContainerInstancesState and the attribute operations.
 */
public final class ContainerInstanceOperations {
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-zA-Z0-9_.\\-/]{1,128}");
    private static final Pattern ATTRIBUTE_VALUE = Pattern.compile("[a-zA-Z0-9_.\\-/: ()@]{1,128}");

    private final ContainerInstances instances;
    private final Clusters clusters;
    private final Tasks tasks;
    private final Tags tags;
    private final InstantSource clock;

    public ContainerInstanceOperations(ContainerInstances instances, Clusters clusters, Tasks tasks, Tags tags,
                                       InstantSource clock) {
        this.instances = instances;
        this.clusters = clusters;
        this.tasks = tasks;
        this.tags = tags;
        this.clock = clock;
    }

    /** The API form, as the Amazon ECS agent calls it: no Berth agent, so never agentConnected. */
    public ObjectNode registerContainerInstance(RequestContext ctx, ObjectNode in) {
        Cluster cluster = clusters.active(in.path("cluster").asText(null));
        int cpu = 0;
        int memory = 0;
        List<Integer> ports = new ArrayList<>();
        for (JsonNode r : in.path("totalResources")) {
            switch (r.path("name").asText()) {
                case "CPU" -> cpu = r.path("integerValue").asInt();
                case "MEMORY" -> memory = r.path("integerValue").asInt();
                case "PORTS" -> r.path("stringSetValue").forEach(p -> ports.add(Integer.parseInt(p.asText())));
                default -> { }
            }
        }
        List<ContainerInstance.Attribute> attributes = new ArrayList<>();
        for (JsonNode a : in.path("attributes")) {
            attributes.add(new ContainerInstance.Attribute(a.path("name").asText(), a.path("value").asText(null)));
        }
        ContainerInstance instance = new ContainerInstance(cluster.name(), ContainerInstances.newId(),
                ContainerInstances.newEc2InstanceId(), "ACTIVE", null, "127.0.0.1", cpu, memory, ports, List.of(),
                attributes, in.path("versionInfo").path("agentVersion").asText(null),
                in.path("versionInfo").path("dockerVersion").asText(null), false, clock.instant(), 1, 0, 1);
        instances.create(instance);
        ObjectNode out = EcsJson.object();
        out.set("containerInstance", render(instance, false));
        return out;
    }

    public ObjectNode deregisterContainerInstance(RequestContext ctx, ObjectNode in) {
        Cluster cluster = clusters.active(in.path("cluster").asText(null));
        ContainerInstance instance = instances.resolve(cluster.name(), in.get("containerInstance").asText())
                .filter(ContainerInstance::registered)
                .orElseThrow(() -> BerthException.invalidParameter("The referenced container instance "
                        + in.get("containerInstance").asText() + " is not registered."));
        boolean force = in.path("force").asBoolean(false);
        List<io.berth.scheduler.snapshot.TaskView> live = tasks.live().on(instance.key());
        if (!live.isEmpty() && !force) {
            throw BerthException.invalidParameter("Found running tasks on the instance. "
                    + "Stop them or deregister with force.");
        }
        for (io.berth.scheduler.snapshot.TaskView t : live) {
            tasks.orphan(cluster.name(), t.id(), "Container instance " + instance.ec2InstanceId() + " was deregistered");
        }
        ContainerInstance gone = instances.update(cluster.name(), instance.id(), i -> i.withStatus("INACTIVE"));
        instances.presence().forget(gone.key());
        ObjectNode out = EcsJson.object();
        out.set("containerInstance", render(gone, false));
        return out;
    }

    public ObjectNode describeContainerInstances(RequestContext ctx, ObjectNode in) {
        Cluster cluster = clusters.active(in.path("cluster").asText(null));
        boolean withTags = false;
        for (JsonNode i : in.path("include")) {
            withTags |= "TAGS".equals(i.asText());
        }
        ObjectNode out = EcsJson.object();
        ArrayNode found = out.putArray("containerInstances");
        ArrayNode failures = out.putArray("failures");
        if (in.path("containerInstances").size() > 100) {
            throw BerthException.invalidParameter("At most 100 container instances can be described at once.");
        }
        for (JsonNode ref : in.path("containerInstances")) {
            Optional<ContainerInstance> instance = instances.resolve(cluster.name(), ref.asText());
            if (instance.isPresent()) {
                found.add(render(instance.get(), withTags));
            } else {
                failures.addObject().put("arn", ref.asText().startsWith("arn:") ? ref.asText()
                        : instances.arn(cluster.name(), ref.asText())).put("reason", "MISSING");
            }
        }
        return out;
    }

    public ObjectNode listContainerInstances(RequestContext ctx, ObjectNode in) {
        Cluster cluster = clusters.active(in.path("cluster").asText(null));
        io.berth.scheduler.query.ClusterQuery filter = in.hasNonNull("filter") && !in.get("filter").asText().isBlank()
                ? io.berth.scheduler.query.ClusterQuery.parse(in.get("filter").asText()) : null;
        int limit = Paging.limit(in.has("maxResults") ? in.get("maxResults").asInt() : null, 100, 100);
        String listing = "instances/" + cluster.name();
        String after = Paging.afterKey(listing, in.path("nextToken").asText(null));
        String status = in.path("status").asText(null);
        List<ContainerInstance> matching = new ArrayList<>();
        for (ContainerInstance i : instances.all(cluster.name())) {
            boolean statusMatches = status == null ? i.registered() : status.equals(i.status());
            if (statusMatches && filter != null && !filter.matches(view(i))) {
                continue;
            }
            if (statusMatches && (after == null || i.id().compareTo(after) > 0)) {
                matching.add(i);
            }
        }
        ObjectNode out = EcsJson.object();
        ArrayNode arns = out.putArray("containerInstanceArns");
        for (int n = 0; n < Math.min(limit, matching.size()); n++) {
            arns.add(instances.arn(matching.get(n)));
        }
        if (matching.size() > limit) {
            out.put("nextToken", Paging.token(listing, matching.get(limit - 1).id()));
        }
        return out;
    }

    public ObjectNode updateContainerInstancesState(RequestContext ctx, ObjectNode in) {
        Cluster cluster = clusters.active(in.path("cluster").asText(null));
        String status = in.get("status").asText();
        if (!status.equals("ACTIVE") && !status.equals("DRAINING")) {
            throw BerthException.invalidParameter("Container instances can be set to ACTIVE or DRAINING only.");
        }
        ObjectNode out = EcsJson.object();
        ArrayNode updated = out.putArray("containerInstances");
        ArrayNode failures = out.putArray("failures");
        for (JsonNode ref : in.path("containerInstances")) {
            Optional<ContainerInstance> instance = instances.resolve(cluster.name(), ref.asText())
                    .filter(ContainerInstance::registered);
            if (instance.isEmpty()) {
                failures.addObject().put("arn", ref.asText()).put("reason", "MISSING");
                continue;
            }
            ContainerInstance next = instances.update(cluster.name(), instance.get().id(),
                    i -> i.status().equals(status) ? i : i.withStatus(status));
            updated.add(render(next, false));
        }
        return out;
    }

    public ObjectNode putAttributes(RequestContext ctx, ObjectNode in) {
        Cluster cluster = clusters.active(in.path("cluster").asText(null));
        Map<String, Map<String, String>> byInstance = attributesByTarget(cluster.name(), in.path("attributes"), true);
        byInstance.forEach((id, changes) -> instances.update(cluster.name(), id, i -> i.withAttributeChanges(changes, false)));
        ObjectNode out = EcsJson.object();
        out.set("attributes", in.path("attributes").deepCopy());
        return out;
    }

    public ObjectNode deleteAttributes(RequestContext ctx, ObjectNode in) {
        Cluster cluster = clusters.active(in.path("cluster").asText(null));
        Map<String, Map<String, String>> byInstance = attributesByTarget(cluster.name(), in.path("attributes"), false);
        byInstance.forEach((id, changes) -> instances.update(cluster.name(), id, i -> i.withAttributeChanges(changes, true)));
        ObjectNode out = EcsJson.object();
        out.set("attributes", in.path("attributes").deepCopy());
        return out;
    }

    public ObjectNode listAttributes(RequestContext ctx, ObjectNode in) {
        Cluster cluster = clusters.active(in.path("cluster").asText(null));
        String name = in.path("attributeName").asText(null);
        String value = in.path("attributeValue").asText(null);
        if (value != null && name == null) {
            throw BerthException.invalidParameter("attributeValue can only be given with attributeName.");
        }
        List<ObjectNode> all = new ArrayList<>();
        for (ContainerInstance i : instances.registered(cluster.name())) {
            for (ContainerInstance.Attribute a : i.attributes()) {
                if ((name == null || name.equals(a.name())) && (value == null || value.equals(a.value()))) {
                    ObjectNode n = EcsJson.object().put("name", a.name());
                    if (a.value() != null) {
                        n.put("value", a.value());
                    }
                    n.put("targetType", "container-instance").put("targetId", instances.arn(i));
                    all.add(n);
                }
            }
        }
        int limit = Paging.limit(in.has("maxResults") ? in.get("maxResults").asInt() : null, 100, 1000);
        String listing = "attributes/" + cluster.name();
        String after = Paging.afterKey(listing, in.path("nextToken").asText(null));
        int start = after == null ? 0 : Integer.parseInt(after);
        ObjectNode out = EcsJson.object();
        ArrayNode list = out.putArray("attributes");
        for (int n = start; n < Math.min(all.size(), start + limit); n++) {
            list.add(all.get(n));
        }
        if (start + limit < all.size()) {
            out.put("nextToken", Paging.token(listing, Integer.toString(start + limit)));
        }
        return out;
    }

    private Map<String, Map<String, String>> attributesByTarget(String cluster, JsonNode attributes, boolean put) {
        Map<String, Map<String, String>> byInstance = new LinkedHashMap<>();
        if (attributes.size() > 10) {
            throw new BerthException(io.berth.core.error.ErrorCode.LIMIT_EXCEEDED,
                    "You can specify up to 10 attributes in a single call.");
        }
        for (JsonNode a : attributes) {
            String name = a.path("name").asText();
            if (!ATTRIBUTE_NAME.matcher(name).matches()) {
                throw BerthException.invalidParameter("Attribute name '" + name + "' is not valid: up to 128 letters, "
                        + "numbers, hyphens, underscores, periods and slashes.");
            }
            String value = a.path("value").asText(null);
            if (put && value != null && !ATTRIBUTE_VALUE.matcher(value).matches()) {
                throw BerthException.invalidParameter("Attribute value '" + value + "' is not valid.");
            }
            String type = a.path("targetType").asText("container-instance");
            if (!"container-instance".equals(type)) {
                throw BerthException.invalidParameter("targetType must be container-instance.");
            }
            String target = a.path("targetId").asText(null);
            if (target == null) {
                throw BerthException.invalidParameter("targetId is required.");
            }
            ContainerInstance instance = instances.resolve(cluster, target).filter(ContainerInstance::registered)
                    .orElseThrow(() -> new BerthException(io.berth.core.error.ErrorCode.RESOURCE_NOT_FOUND,
                            "The target " + target + " was not found."));
            byInstance.computeIfAbsent(instance.id(), k -> new LinkedHashMap<>()).put(name, value);
        }
        return byInstance;
    }

    /** The instance as the query language sees it: its live tasks with their groups and statuses. */
    private io.berth.scheduler.snapshot.InstanceView view(ContainerInstance i) {
        return new io.berth.scheduler.snapshot.InstanceView(i, i.tokenHash() != null && instances.connected(i),
                tasks.live().load(i));
    }

    ObjectNode render(ContainerInstance i, boolean withTags) {
        ObjectNode n = EcsJson.object();
        n.put("containerInstanceArn", instances.arn(i));
        n.put("ec2InstanceId", i.ec2InstanceId());
        n.put("capacityProviderName", "");
        n.remove("capacityProviderName");
        n.put("version", i.version());
        ObjectNode versionInfo = n.putObject("versionInfo");
        if (i.agentVersion() != null) {
            versionInfo.put("agentVersion", i.agentVersion());
        }
        versionInfo.put("agentHash", "berth");
        if (i.dockerVersion() != null) {
            versionInfo.put("dockerVersion", "DockerVersion: " + i.dockerVersion());
        }
        io.berth.scheduler.snapshot.InstanceView view = view(i);
        io.berth.scheduler.snapshot.InstanceLoad load = view.load();
        resources(n.putArray("remainingResources"), i.cpu() - load.cpu(), i.memory() - load.memory(),
                load.tcpPorts(), load.udpPorts());
        resources(n.putArray("registeredResources"), i.cpu(), i.memory(), new HashSet<>(i.reservedTcpPorts()),
                new HashSet<>(i.reservedUdpPorts()));
        n.put("status", i.status());
        n.put("agentConnected", view.agentConnected());
        int running = load.runningTasks();
        int pending = load.liveTasks() - running;
        n.put("runningTasksCount", running);
        n.put("pendingTasksCount", pending);
        ArrayNode attributes = n.putArray("attributes");
        for (ContainerInstance.Attribute a : i.attributes()) {
            ObjectNode an = attributes.addObject().put("name", a.name());
            if (a.value() != null) {
                an.put("value", a.value());
            }
        }
        n.put("registeredAt", i.registeredAt().toEpochMilli() / 1000.0);
        n.putArray("attachments");
        n.set("tags", withTags ? Tags.toJson(tags.of(instances.arn(i))) : EcsJson.array());
        return n;
    }

    private static void resources(ArrayNode list, int cpu, int memory, Set<Integer> tcp, Set<Integer> udp) {
        list.addObject().put("name", "CPU").put("type", "INTEGER").put("doubleValue", 0.0).put("longValue", 0)
                .put("integerValue", cpu);
        list.addObject().put("name", "MEMORY").put("type", "INTEGER").put("doubleValue", 0.0).put("longValue", 0)
                .put("integerValue", memory);
        ArrayNode ports = list.addObject().put("name", "PORTS").put("type", "STRINGSET").put("doubleValue", 0.0)
                .put("longValue", 0).put("integerValue", 0).putArray("stringSetValue");
        tcp.stream().sorted().forEach(p -> ports.add(Integer.toString(p)));
        ArrayNode udpPorts = list.addObject().put("name", "PORTS_UDP").put("type", "STRINGSET").put("doubleValue", 0.0)
                .put("longValue", 0).put("integerValue", 0).putArray("stringSetValue");
        udp.stream().sorted().forEach(p -> udpPorts.add(Integer.toString(p)));
    }
}
