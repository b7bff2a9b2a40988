package io.berth.ecs.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.aws.json.JsonOperation;
import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import io.berth.core.task.Task;
import io.berth.ecs.EcsJson;
import io.berth.ecs.Paging;
import io.berth.ecs.cluster.Cluster;
import io.berth.ecs.cluster.Clusters;
import io.berth.ecs.tag.Tags;
import io.berth.ecs.task.Tasks;
import io.berth.ecs.taskdef.TaskDefinition;
import io.berth.ecs.taskdef.TaskDefinitionRef;
import io.berth.ecs.taskdef.TaskDefinitionStatus;
import io.berth.ecs.taskdef.TaskDefinitions;
import io.berth.scheduler.deployment.DeploymentConfig;
import io.berth.scheduler.deployment.SchedulingStrategy;
import io.berth.scheduler.deployment.Throttle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * CreateService, UpdateService, DeleteService, DescribeServices and ListServices: wire JSON in,
 * wire JSON out. What the services then do is the {@link ServiceController}'s work.
 */
public final class ServiceOperations {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,255}");
    private static final List<String> PROPAGATE = List.of("NONE", "SERVICE", "TASK_DEFINITION");

    private final Services services;
    private final Clusters clusters;
    private final Tasks tasks;
    private final TaskDefinitions definitions;
    private final Tags tags;
    private final TargetRegistry targets;

    public ServiceOperations(Services services, Tasks tasks, TaskDefinitions definitions, Tags tags) {
        this(services, tasks, definitions, tags, TargetRegistry.none());
    }

    public ServiceOperations(Services services, Tasks tasks, TaskDefinitions definitions, Tags tags,
                             TargetRegistry targets) {
        this.services = services;
        this.clusters = tasks.clusters();
        this.tasks = tasks;
        this.definitions = definitions;
        this.tags = tags;
        this.targets = targets;
    }

    /** The operations by name, for the ECS service's table. */
    public Map<String, JsonOperation> operations() {
        Map<String, JsonOperation> ops = new LinkedHashMap<>();
        ops.put("CreateService", this::createService);
        ops.put("UpdateService", this::updateService);
        ops.put("DeleteService", this::deleteService);
        ops.put("DescribeServices", this::describeServices);
        ops.put("ListServices", this::listServices);
        return ops;
    }

    public ObjectNode createService(RequestContext ctx, ObjectNode in) {
        Cluster cluster = clusters.active(in.path("cluster").asText(null));
        String name = in.get("serviceName").asText();
        if (!NAME.matcher(name).matches()) {
            throw BerthException.invalidParameter("Service name must be 1 to 255 characters: letters (uppercase and "
                    + "lowercase), numbers, hyphens, and underscores are allowed.");
        }
        SchedulingStrategy strategy = SchedulingStrategy.valueOf(in.path("schedulingStrategy").asText("REPLICA"));
        String launchType = launchType(in);
        if (in.has("deploymentController") && !"ECS".equals(in.path("deploymentController").path("type").asText("ECS"))) {
            throw BerthException.invalidParameter("Berth supports the ECS (rolling update) deployment controller only.");
        }
        if (!in.hasNonNull("taskDefinition")) {
            throw BerthException.invalidParameter("TaskDefinition must be specified for a service with the ECS "
                    + "deployment controller.");
        }
        String taskDefinition = activeDefinition(in.get("taskDefinition").asText());
        ServiceLoadBalancer.check(in.get("loadBalancers"), definition(taskDefinition), targets);
        int desired;
        if (strategy == SchedulingStrategy.DAEMON) {
            if (in.has("placementStrategy") && in.get("placementStrategy").size() > 0) {
                throw BerthException.invalidParameter("Placement strategies are not supported with the DAEMON "
                        + "scheduling strategy.");
            }
            desired = 0;
        } else {
            if (!in.hasNonNull("desiredCount")) {
                throw BerthException.invalidParameter("desiredCount is required for a service with the REPLICA "
                        + "scheduling strategy.");
            }
            desired = desiredCount(in);
        }
        ServicePlacement.strategies(in.get("placementStrategy"));
        ServicePlacement.constraints(in.get("placementConstraints"));
        DeploymentConfig config = deploymentConfig(DeploymentConfig.defaults(strategy), in.get("deploymentConfiguration"));
        String propagate = propagateTags(in);
        Instant now = ctx.receivedAt();
        String clientToken = in.path("clientToken").asText(null);
        ServiceDeployment first = ServiceDeployment.started(Services.newDeploymentId(), taskDefinition, launchType,
                copy(in.get("networkConfiguration")), in.path("platformVersion").asText(null),
                copy(in.get("loadBalancers")), now);
        Service service = new Service(cluster.name(), name, Service.Status.ACTIVE, taskDefinition, desired, launchType,
                strategy, config, gracePeriod(in), copy(in.get("networkConfiguration")), copy(in.get("loadBalancers")),
                copy(in.get("serviceRegistries")), copy(in.get("placementConstraints")),
                copy(in.get("placementStrategy")), in.path("platformVersion").asText(null), propagate,
                in.path("enableECSManagedTags").asBoolean(false), in.path("enableExecuteCommand").asBoolean(false),
                roleArn(in), clientToken, List.of(first), List.of(), null, Throttle.NONE, false, now,
                ctx.callerArn());
        Service created = services.create(service, Tags.parse(in.get("tags")));
        ObjectNode out = EcsJson.object();
        out.set("service", render(created, true));
        return out;
    }

    public ObjectNode updateService(RequestContext ctx, ObjectNode in) {
        Cluster cluster = clusters.active(in.path("cluster").asText(null));
        Service found = services.require(cluster.name(), in.get("service").asText());
        String newDefinition = in.hasNonNull("taskDefinition") ? activeDefinition(in.get("taskDefinition").asText())
                : null;
        Integer newDesired = in.hasNonNull("desiredCount") ? desiredCount(in) : null;
        if (in.has("launchType") || in.has("capacityProviderStrategy")) {
            launchType(in);
        }
        String propagate = in.has("propagateTags") ? propagateTags(in) : null;
        ServicePlacement.strategies(in.get("placementStrategy"));
        ServicePlacement.constraints(in.get("placementConstraints"));
        Instant now = ctx.receivedAt();
        Service updated = services.update(cluster.name(), found.name(), s -> {
            if (!s.active()) {
                throw new BerthException(ErrorCode.SERVICE_NOT_ACTIVE, "Service was not ACTIVE.");
            }
            if (s.schedulingStrategy() == SchedulingStrategy.DAEMON && in.has("placementStrategy")
                    && in.get("placementStrategy").size() > 0) {
                throw BerthException.invalidParameter("Placement strategies are not supported with the DAEMON "
                        + "scheduling strategy.");
            }
            Service.Builder b = s.toBuilder().steady(false);
            if (newDesired != null && s.schedulingStrategy() == SchedulingStrategy.REPLICA) {
                b.desiredCount(newDesired);
            }
            if (in.has("deploymentConfiguration")) {
                b.deploymentConfiguration(deploymentConfig(s.deploymentConfiguration(), in.get("deploymentConfiguration")));
            }
            if (in.has("healthCheckGracePeriodSeconds")) {
                b.healthCheckGracePeriodSeconds(gracePeriod(in));
            }
            if (in.has("placementConstraints")) {
                b.placementConstraints(copy(in.get("placementConstraints")));
            }
            if (in.has("placementStrategy")) {
                b.placementStrategy(copy(in.get("placementStrategy")));
            }
            if (propagate != null) {
                b.propagateTags(propagate);
            }
            if (in.has("enableECSManagedTags")) {
                b.enableEcsManagedTags(in.get("enableECSManagedTags").asBoolean());
            }
            if (in.has("enableExecuteCommand")) {
                b.enableExecuteCommand(in.get("enableExecuteCommand").asBoolean());
            }
            if (newDefinition != null || in.has("loadBalancers")) {
                String effective = newDefinition != null ? newDefinition : s.primary().taskDefinition();
                JsonNode lbs = in.has("loadBalancers") ? in.get("loadBalancers") : s.loadBalancers();
                ServiceLoadBalancer.check(lbs, definition(effective), targets);
            }
            // What starts a new deployment (deployment-type-ecs): a task definition, network, load
            // balancers, service registries, platform version, or forceNewDeployment.
            boolean redeploy = in.path("forceNewDeployment").asBoolean(false);
            String definition = s.primary().taskDefinition();
            if (newDefinition != null && !newDefinition.equals(definition)) {
                definition = newDefinition;
                redeploy = true;
            }
            JsonNode network = s.networkConfiguration();
            if (in.has("networkConfiguration") && !Objects.equals(in.get("networkConfiguration"), network)) {
                network = copy(in.get("networkConfiguration"));
                b.networkConfiguration(network);
                redeploy = true;
            }
            if (in.has("loadBalancers") && !Objects.equals(copy(in.get("loadBalancers")), s.loadBalancers())) {
                b.loadBalancers(copy(in.get("loadBalancers")));
                redeploy = true;
            }
            if (in.has("serviceRegistries") && !Objects.equals(copy(in.get("serviceRegistries")), s.serviceRegistries())) {
                b.serviceRegistries(copy(in.get("serviceRegistries")));
                redeploy = true;
            }
            String platform = s.platformVersion();
            if (in.hasNonNull("platformVersion") && !in.get("platformVersion").asText().equals(platform)) {
                platform = in.get("platformVersion").asText();
                b.platformVersion(platform);
                redeploy = true;
            }
            if (redeploy) {
                List<ServiceDeployment> deployments = new ArrayList<>();
                deployments.add(ServiceDeployment.started(Services.newDeploymentId(), definition, s.launchType(),
                        network, platform, in.has("loadBalancers") ? copy(in.get("loadBalancers")) : s.loadBalancers(),
                        now));
                for (ServiceDeployment d : s.deployments()) {
                    deployments.add(ServiceDeployment.PRIMARY.equals(d.status()) ? d.demoted(now) : d);
                }
                b.deployments(deployments).taskDefinition(definition).throttle(Throttle.NONE);
            }
            return b.build();
        });
        ObjectNode out = EcsJson.object();
        out.set("service", render(updated, true));
        return out;
    }

    public ObjectNode deleteService(RequestContext ctx, ObjectNode in) {
        Cluster cluster = clusters.active(in.path("cluster").asText(null));
        Service found = services.require(cluster.name(), in.get("service").asText());
        boolean force = in.path("force").asBoolean(false);
        Service deleted = services.update(cluster.name(), found.name(), s -> {
            if (s.status() == Service.Status.INACTIVE) {
                throw Services.notFound();
            }
            if (s.status() == Service.Status.DRAINING) {
                return s;
            }
            if (s.schedulingStrategy() == SchedulingStrategy.REPLICA && s.desiredCount() > 0 && !force) {
                throw BerthException.invalidParameter("The service cannot be stopped while it is scaled above 0.");
            }
            return s.toBuilder().status(Service.Status.DRAINING).desiredCount(0).steady(false).build();
        });
        ObjectNode out = EcsJson.object();
        out.set("service", render(deleted, false));
        return out;
    }

    public ObjectNode describeServices(RequestContext ctx, ObjectNode in) {
        Cluster cluster = clusters.active(in.path("cluster").asText(null));
        boolean withTags = false;
        for (JsonNode i : in.path("include")) {
            withTags |= "TAGS".equals(i.asText());
        }
        if (in.path("services").size() > 10) {
            throw BerthException.invalidParameter("At most 10 services can be described at once.");
        }
        ServiceTasks view = ServiceTasks.of(tasks, cluster.name());
        ObjectNode out = EcsJson.object();
        ArrayNode found = out.putArray("services");
        ArrayNode failures = out.putArray("failures");
        for (JsonNode ref : in.path("services")) {
            Optional<Service> service = services.nameOf(cluster.name(), ref.asText())
                    .flatMap(n -> services.find(cluster.name(), n));
            if (service.isPresent()) {
                Service s = service.get();
                found.add(ServiceJson.render(services, clusters.arn(cluster.name()), s, view.of(s.name()),
                        withTags ? tags.of(services.arn(s)) : null));
            } else {
                failures.addObject().put("arn", ref.asText().startsWith("arn:") ? ref.asText()
                        : services.arn(cluster.name(), ref.asText())).put("reason", "MISSING");
            }
        }
        return out;
    }

    public ObjectNode listServices(RequestContext ctx, ObjectNode in) {
        Cluster cluster = clusters.active(in.path("cluster").asText(null));
        int limit = Paging.limit(in.has("maxResults") ? in.get("maxResults").asInt() : null, 10, 100);
        String listing = "services/" + cluster.name();
        String after = Paging.afterKey(listing, in.path("nextToken").asText(null));
        String launchType = in.path("launchType").asText(null);
        String strategy = in.path("schedulingStrategy").asText(null);
        Predicate<Service> filter = s -> s.active() && (launchType == null || launchType.equals(s.launchType()))
                && (strategy == null || strategy.equals(s.schedulingStrategy().name()));
        List<Service> page = services.list(cluster.name(), filter, after, limit + 1);
        ObjectNode out = EcsJson.object();
        ArrayNode arns = out.putArray("serviceArns");
        for (int i = 0; i < Math.min(limit, page.size()); i++) {
            arns.add(services.arn(page.get(i)));
        }
        if (page.size() > limit) {
            out.put("nextToken", Paging.token(listing, page.get(limit - 1).name()));
        }
        return out;
    }

    private ObjectNode render(Service s, boolean withTags) {
        List<Task> own = ServiceTasks.of(tasks, s.cluster()).of(s.name());
        return ServiceJson.render(services, clusters.arn(s.cluster()), s, own, withTags ? tags.of(services.arn(s)) : null);
    }

    /** A task definition by its ARN (one the service runs or a request named). */
    private TaskDefinition definition(String arn) {
        return TaskDefinitionRef.parse(arn, services.account()).flatMap(definitions::find)
                .orElseThrow(() -> BerthException.invalidParameter("TaskDefinition not found."));
    }

    /**
     * The service's role: the one given, else for a service behind a load balancer ECS's
     * service-linked role, which registers its targets.
     */
    private String roleArn(ObjectNode in) {
        String role = in.path("role").asText(null);
        String iam = "arn:" + services.account().partition() + ":iam::" + services.account().accountId() + ":role/";
        if (role != null && !role.isEmpty()) {
            return role.startsWith("arn:") ? role : iam + role;
        }
        JsonNode lbs = in.get("loadBalancers");
        return lbs != null && lbs.isArray() && lbs.size() > 0
                ? iam + "aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS" : null;
    }

    /** The ARN of the ACTIVE task definition a request names. */
    private String activeDefinition(String ref) {
        TaskDefinition td = TaskDefinitionRef.parse(ref, services.account()).flatMap(definitions::find)
                .orElseThrow(() -> BerthException.invalidParameter("TaskDefinition not found."));
        if (td.status() != TaskDefinitionStatus.ACTIVE) {
            throw BerthException.invalidParameter("TaskDefinition is inactive");
        }
        return td.arn(services.account());
    }

    private static String launchType(ObjectNode in) {
        if (in.has("launchType") && in.has("capacityProviderStrategy")) {
            throw BerthException.invalidParameter(
                    "Specifying both a launch type and capacity provider strategy is not supported.");
        }
        if (in.has("capacityProviderStrategy") && in.get("capacityProviderStrategy").size() > 0) {
            throw BerthException.invalidParameter("Berth does not support capacity providers yet; use launchType EC2.");
        }
        String launchType = in.path("launchType").asText("EC2");
        if (!"EC2".equals(launchType)) {
            throw BerthException.invalidParameter("Berth runs services with the EC2 launch type only for now (got "
                    + launchType + ").");
        }
        return launchType;
    }

    private static int desiredCount(ObjectNode in) {
        int desired = in.get("desiredCount").asInt();
        if (desired < 0) {
            throw BerthException.invalidParameter("desiredCount must not be negative.");
        }
        return desired;
    }

    private static Integer gracePeriod(ObjectNode in) {
        if (!in.hasNonNull("healthCheckGracePeriodSeconds")) {
            return null;
        }
        int seconds = in.get("healthCheckGracePeriodSeconds").asInt();
        if (seconds < 0) {
            throw BerthException.invalidParameter("healthCheckGracePeriodSeconds must not be negative.");
        }
        return seconds;
    }

    private static String propagateTags(ObjectNode in) {
        String value = in.path("propagateTags").asText("NONE");
        if (!PROPAGATE.contains(value)) {
            throw BerthException.invalidParameter("propagateTags must be one of NONE, SERVICE, TASK_DEFINITION.");
        }
        return value;
    }

    /** {@code current} with the members of a request's deploymentConfiguration that are present. */
    static DeploymentConfig deploymentConfig(DeploymentConfig current, JsonNode node) {
        if (node == null || node.isNull()) {
            return current;
        }
        int min = node.hasNonNull("minimumHealthyPercent") ? node.get("minimumHealthyPercent").asInt()
                : current.minimumHealthyPercent();
        int max = node.hasNonNull("maximumPercent") ? node.get("maximumPercent").asInt() : current.maximumPercent();
        if (min < 0 || min > 100) {
            throw BerthException.invalidParameter("minimumHealthyPercent must be between 0 and 100.");
        }
        if (max < 0) {
            throw BerthException.invalidParameter("maximumPercent must not be negative.");
        }
        JsonNode breaker = node.get("deploymentCircuitBreaker");
        boolean enable = current.circuitBreaker();
        boolean rollback = current.rollback();
        if (breaker != null && !breaker.isNull()) {
            enable = breaker.path("enable").asBoolean(false);
            rollback = breaker.path("rollback").asBoolean(false);
        }
        return new DeploymentConfig(min, max, enable, rollback);
    }

    private static JsonNode copy(JsonNode node) {
        return node == null || node.isNull() ? null : node.deepCopy();
    }
}
