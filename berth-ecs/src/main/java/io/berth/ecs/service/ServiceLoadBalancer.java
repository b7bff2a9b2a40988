package io.berth.ecs.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.error.BerthException;
import io.berth.ecs.taskdef.ContainerSpec;
import io.berth.ecs.taskdef.NetworkMode;
import io.berth.ecs.taskdef.TaskDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of a service's {@code loadBalancers}: the target group its tasks join and the container
 * port that serves it. {@link #check} holds ECS's validation of CreateService and UpdateService.
 */
public record ServiceLoadBalancer(String targetGroupArn, String containerName, int containerPort) {
    /** ECS's limit of target groups per service. */
    static final int MAX = 5;

    public ServiceLoadBalancer {
        Objects.requireNonNull(targetGroupArn);
        Objects.requireNonNull(containerName);
    }

    /** Whether a task belongs to a service of {@code services} that has load balancers. */
    public static java.util.function.Predicate<io.berth.core.task.Task> behind(Services services) {
        return t -> t.group() != null && t.group().startsWith("service:")
                && services.find(t.cluster(), t.group().substring("service:".length()))
                .map(s -> !of(s.loadBalancers()).isEmpty()).orElse(false);
    }

    /** The entries of a stored {@code loadBalancers} value (null: none). */
    static List<ServiceLoadBalancer> of(JsonNode loadBalancers) {
        List<ServiceLoadBalancer> out = new ArrayList<>();
        if (loadBalancers == null) {
            return out;
        }
        for (JsonNode lb : loadBalancers) {
            if (lb.hasNonNull("targetGroupArn") && lb.hasNonNull("containerName") && lb.hasNonNull("containerPort")) {
                out.add(new ServiceLoadBalancer(lb.get("targetGroupArn").asText(), lb.get("containerName").asText(),
                        lb.get("containerPort").asInt()));
            }
        }
        return out;
    }

    /**
     * Checks a request's {@code loadBalancers} against the task definition and the target groups, as
     * ECS does; throws InvalidParameterException with ECS's words.
     */
    static void check(JsonNode loadBalancers, TaskDefinition td, TargetRegistry registry) {
        if (loadBalancers == null || loadBalancers.isNull()) {
            return;
        }
        if (!loadBalancers.isArray()) {
            throw BerthException.invalidParameter("loadBalancers must be a list.");
        }
        if (loadBalancers.size() > MAX) {
            throw BerthException.invalidParameter("A service can be attached to at most " + MAX
                    + " target groups.");
        }
        Set<String> seen = new HashSet<>();
        for (JsonNode lb : loadBalancers) {
            if (lb.hasNonNull("loadBalancerName") && !lb.hasNonNull("targetGroupArn")) {
                throw BerthException.invalidParameter("Berth supports Application Load Balancer target groups "
                        + "only; Classic Load Balancers (loadBalancerName) are not supported.");
            }
            if (!lb.hasNonNull("targetGroupArn")) {
                throw BerthException.invalidParameter("Target group ARN must be specified for a load balancer of a "
                        + "service.");
            }
            String arn = lb.get("targetGroupArn").asText();
            if (!lb.hasNonNull("containerName") || !lb.hasNonNull("containerPort")) {
                throw BerthException.invalidParameter("containerName and containerPort must be specified for the "
                        + "load balancer with target group " + arn + ".");
            }
            String container = lb.get("containerName").asText();
            int port = lb.get("containerPort").asInt();
            TargetRegistry.TargetGroupInfo tg = registry.targetGroup(arn).orElseThrow(() ->
                    BerthException.invalidParameter("Unable to assume role and validate the specified "
                            + "targetGroupArn. Please verify that the ECS service role being passed has the proper "
                            + "permissions."));
            if (!tg.attached()) {
                throw BerthException.invalidParameter("The target group with targetGroupArn " + arn
                        + " does not have an associated load balancer.");
            }
            ContainerSpec spec = td.containers().stream().filter(c -> c.name().equals(container)).findFirst()
                    .orElseThrow(() -> BerthException.invalidParameter("The container " + container
                            + " does not exist in the task definition."));
            boolean mapped = spec.portMappings().stream()
                    .anyMatch(p -> p.containerPort().isPresent() && p.containerPort().getAsInt() == port);
            if (!mapped) {
                throw BerthException.invalidParameter("The container " + container + " did not have a container "
                        + "port " + port + " defined.");
            }
            NetworkMode mode = td.networkMode();
            if ("ip".equals(tg.targetType()) && mode != NetworkMode.AWSVPC) {
                throw BerthException.invalidParameter("The provided target group " + arn + " has target type ip, "
                        + "which is incompatible with the " + mode.wire() + " network mode specified in the task "
                        + "definition.");
            }
            if ("instance".equals(tg.targetType()) && mode == NetworkMode.AWSVPC) {
                throw BerthException.invalidParameter("The provided target group " + arn + " has target type "
                        + "instance, which is incompatible with the awsvpc network mode specified in the task "
                        + "definition.");
            }
            if (!"ip".equals(tg.targetType()) && !"instance".equals(tg.targetType())) {
                throw BerthException.invalidParameter("The provided target group " + arn + " has target type "
                        + tg.targetType() + ", which is not supported for ECS services.");
            }
            if (!seen.add(arn + "|" + container + "|" + port)) {
                throw BerthException.invalidParameter("The same target group, container name and port are "
                        + "specified more than once.");
            }
        }
    }
}
