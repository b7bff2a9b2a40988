package io.berth.ecs.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.core.error.BerthException;
import io.berth.core.task.DesiredStatus;
import io.berth.core.task.StopCode;
import io.berth.core.task.Task;
import io.berth.ecs.EcsJson;
import io.berth.ecs.Paging;
import io.berth.ecs.cluster.Cluster;
import io.berth.ecs.tag.Tags;
import io.berth.scheduler.placement.PlacementConstraint;
import io.berth.scheduler.placement.PlacementStrategy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** RunTask, StartTask, StopTask, DescribeTasks and ListTasks: wire JSON in, wire JSON out. */
public final class TaskOperations {
    private final Tasks tasks;
    private final Tags tags;
    private final Predicate<Task> behindLoadBalancer;

    public TaskOperations(Tasks tasks, Tags tags) {
        this(tasks, tags, t -> false);
    }

    /**
     * @param behindLoadBalancer whether a task belongs to a service with load balancers: StopTask
     *     then deactivates it (its targets drain first) rather than stopping it at once
     */
    public TaskOperations(Tasks tasks, Tags tags, Predicate<Task> behindLoadBalancer) {
        this.tasks = tasks;
        this.tags = tags;
        this.behindLoadBalancer = behindLoadBalancer;
    }

    public ObjectNode runTask(RequestContext ctx, ObjectNode in) {
        int count = in.has("count") ? in.get("count").asInt() : 1;
        if (count < 1 || count > 10) {
            throw BerthException.invalidParameter("count must be between 1 and 10.");
        }
        String launchType = in.path("launchType").asText("EC2");
        if (in.has("launchType") && in.has("capacityProviderStrategy")) {
            throw BerthException.invalidParameter(
                    "Specifying both a launch type and capacity provider strategy is not supported.");
        }
        if (!"EC2".equals(launchType)) {
            throw BerthException.invalidParameter("Berth runs tasks with the EC2 launch type only for now (got "
                    + launchType + ").");
        }
        if (in.has("capacityProviderStrategy")) {
            throw BerthException.invalidParameter("Berth does not support capacity providers yet; use launchType EC2.");
        }
        RunResult result = tasks.run(request(in, count, null));
        return output(result);
    }

    public ObjectNode startTask(RequestContext ctx, ObjectNode in) {
        List<String> instances = new ArrayList<>();
        in.path("containerInstances").forEach(i -> instances.add(i.asText()));
        if (instances.isEmpty() || instances.size() > 10) {
            throw BerthException.invalidParameter("containerInstances must name between 1 and 10 container instances.");
        }
        return output(tasks.run(request(in, instances.size(), instances)));
    }

    private RunRequest request(ObjectNode in, int count, List<String> instances) {
        String startedBy = in.path("startedBy").asText(null);
        if (startedBy != null && startedBy.length() > 128) {
            throw BerthException.invalidParameter("startedBy may be up to 128 characters.");
        }
        String group = in.path("group").asText(null);
        if (group != null && (group.isEmpty() || group.length() > 255)) {
            throw BerthException.invalidParameter("group must be 1 to 255 characters.");
        }
        String clientToken = in.path("clientToken").asText(null);
        if (clientToken != null && clientToken.length() > 64) {
            throw BerthException.invalidParameter("clientToken may be up to 64 characters.");
        }
        JsonNode overrides = in.get("overrides");
        List<PlacementStrategy> strategies = new ArrayList<>();
        for (JsonNode s : in.path("placementStrategy")) {
            strategies.add(PlacementStrategy.of(s.path("type").asText(null), s.path("field").asText(null)));
        }
        List<PlacementConstraint> constraints = new ArrayList<>();
        for (JsonNode c : in.path("placementConstraints")) {
            constraints.add(PlacementConstraint.of(c.path("type").asText(null), c.path("expression").asText(null)));
        }
        return new RunRequest(in.path("cluster").asText(null), in.get("taskDefinition").asText(), count, group,
                startedBy, overrides == null ? "{}" : overrides.toString(), Tags.parse(in.get("tags")),
                in.path("propagateTags").asText(null), clientToken, instances, strategies, constraints);
    }

    private ObjectNode output(RunResult result) {
        ObjectNode out = EcsJson.object();
        ArrayNode list = out.putArray("tasks");
        for (Task t : result.tasks()) {
            list.add(TaskJson.render(tasks, t, tags.of(tasks.arn(t))));
        }
        ArrayNode failures = out.putArray("failures");
        for (RunResult.Failure f : result.failures()) {
            ObjectNode fn = failures.addObject().put("arn", f.arn()).put("reason", f.reason());
            if (f.detail() != null) {
                fn.put("detail", f.detail());
            }
        }
        return out;
    }

    public ObjectNode stopTask(RequestContext ctx, ObjectNode in) {
        String reason = in.path("reason").asText("Task stopped by user");
        if (reason.length() > 255) {
            throw BerthException.invalidParameter("reason may be up to 255 characters.");
        }
        String cluster = tasks.clusters().active(in.path("cluster").asText(null)).name();
        Task found = tasks.resolve(cluster, in.get("task").asText()).orElseThrow(() ->
                BerthException.invalidParameter("The referenced task was not found."));
        Task stopped = behindLoadBalancer.test(found)
                ? tasks.deactivate(cluster, found.id(), StopCode.UserInitiated, reason)
                : tasks.stop(cluster, found.id(), StopCode.UserInitiated, reason);
        ObjectNode out = EcsJson.object();
        out.set("task", TaskJson.render(tasks, stopped, tags.of(tasks.arn(stopped))));
        return out;
    }

    public ObjectNode describeTasks(RequestContext ctx, ObjectNode in) {
        Cluster cluster = tasks.clusters().active(in.path("cluster").asText(null));
        boolean withTags = false;
        for (JsonNode i : in.path("include")) {
            withTags |= "TAGS".equals(i.asText());
        }
        if (in.path("tasks").size() > 100) {
            throw BerthException.invalidParameter("At most 100 tasks can be described at once.");
        }
        ObjectNode out = EcsJson.object();
        ArrayNode found = out.putArray("tasks");
        ArrayNode failures = out.putArray("failures");
        // every task read before any is rendered: the answer is as close to one instant as reads allow
        List<Optional<Task>> read = new java.util.ArrayList<>(in.path("tasks").size());
        for (JsonNode ref : in.path("tasks")) {
            read.add(tasks.resolve(cluster.name(), ref.asText()));
        }
        int i = 0;
        for (JsonNode ref : in.path("tasks")) {
            Optional<Task> task = read.get(i++);
            if (task.isPresent()) {
                Task t = task.get();
                found.add(TaskJson.render(tasks, t, withTags ? tags.of(tasks.arn(t)) : List.of()));
            } else {
                failures.addObject().put("arn", ref.asText().startsWith("arn:") ? ref.asText()
                        : tasks.account().arn("ecs", "task/" + cluster.name() + "/" + ref.asText()).toString())
                        .put("reason", "MISSING");
            }
        }
        return out;
    }

    public ObjectNode listTasks(RequestContext ctx, ObjectNode in) {
        Cluster cluster = tasks.clusters().active(in.path("cluster").asText(null));
        int limit = Paging.limit(in.has("maxResults") ? in.get("maxResults").asInt() : null, 100, 100);
        String listing = "tasks/" + cluster.name();
        String after = Paging.afterKey(listing, in.path("nextToken").asText(null));
        Predicate<Task> filter = filter(cluster.name(), in);
        List<Task> page = tasks.list(cluster.name(), filter, after, limit + 1);
        ObjectNode out = EcsJson.object();
        ArrayNode arns = out.putArray("taskArns");
        for (int i = 0; i < Math.min(limit, page.size()); i++) {
            arns.add(tasks.arn(page.get(i)));
        }
        if (page.size() > limit) {
            out.put("nextToken", Paging.token(listing, page.get(limit - 1).id()));
        }
        return out;
    }

    private Predicate<Task> filter(String cluster, ObjectNode in) {
        String desired = in.path("desiredStatus").asText("RUNNING");
        Predicate<Task> p = t -> desired.equals("RUNNING")
                ? t.desiredStatus() == DesiredStatus.RUNNING || t.desiredStatus() == DesiredStatus.PENDING
                : t.desiredStatus().name().equals(desired);
        if (in.hasNonNull("containerInstance")) {
            String id = tasks.instances().resolve(cluster, in.get("containerInstance").asText())
                    .map(i -> i.id()).orElse("\u0000none");
            p = p.and(t -> id.equals(t.containerInstanceId()));
        }
        if (in.hasNonNull("family")) {
            String family = in.get("family").asText();
            p = p.and(t -> family.equals(t.family()));
        }
        if (in.hasNonNull("startedBy")) {
            String startedBy = in.get("startedBy").asText();
            p = p.and(t -> startedBy.equals(t.startedBy()));
        }
        if (in.hasNonNull("serviceName")) {
            String group = "service:" + in.get("serviceName").asText();
            p = p.and(t -> group.equals(t.group()));
        }
        if (in.hasNonNull("launchType")) {
            String launchType = in.get("launchType").asText();
            p = p.and(t -> launchType.equals(t.launchType()));
        }
        Set<String> unused = new HashSet<>();
        unused.add(cluster);
        return p;
    }
}
