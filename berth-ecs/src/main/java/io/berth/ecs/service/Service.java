package io.berth.ecs.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.scheduler.deployment.DeploymentConfig;
import io.berth.scheduler.deployment.SchedulingStrategy;
import io.berth.scheduler.deployment.Throttle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An ECS service as stored (kind {@value Services#KIND}, key {@code cluster/name}). The JSON-valued
 * members are kept as the wire JSON they were given in (read-only by convention).
 *
 * <pre>
 *   CreateService --> ACTIVE --DeleteService--> DRAINING --(no task left running)--> INACTIVE
 *                                                              (CreateService of the name starts afresh)
 * </pre>
 *
 * @param taskDefinition the ARN the PRIMARY deployment runs
 * @param deployments PRIMARY first, then the ACTIVE ones, newest first
 * @param events newest first, at most {@value #MAX_EVENTS}
 * @param lastCompleted the most recent deployment that COMPLETED, kept for a rollback after it is gone
 * @param throttle the scheduler's launch throttle
 * @param steady whether the scheduler last found the service in a steady state
 */
public record Service(
        String cluster,
        String name,
        Status status,
        String taskDefinition,
        int desiredCount,
        String launchType,
        SchedulingStrategy schedulingStrategy,
        DeploymentConfig deploymentConfiguration,
        Integer healthCheckGracePeriodSeconds,
        JsonNode networkConfiguration,
        JsonNode loadBalancers,
        JsonNode serviceRegistries,
        JsonNode placementConstraints,
        JsonNode placementStrategy,
        String platformVersion,
        String propagateTags,
        boolean enableEcsManagedTags,
        boolean enableExecuteCommand,
        String roleArn,
        String clientToken,
        List<ServiceDeployment> deployments,
        List<ServiceEvent> events,
        ServiceDeployment lastCompleted,
        Throttle throttle,
        boolean steady,
        Instant createdAt,
        String createdBy) {

    public static final int MAX_EVENTS = 100;

    public enum Status { ACTIVE, DRAINING, INACTIVE }

    public Service {
        Objects.requireNonNull(cluster);
        Objects.requireNonNull(name);
        Objects.requireNonNull(status);
        Objects.requireNonNull(schedulingStrategy);
        Objects.requireNonNull(deploymentConfiguration);
        deployments = deployments == null ? List.of() : List.copyOf(deployments);
        events = events == null ? List.of() : List.copyOf(events);
        throttle = throttle == null ? Throttle.NONE : throttle;
    }

    public String key() {
        return cluster + "/" + name;
    }

    public boolean active() {
        return status == Status.ACTIVE;
    }

    public ServiceDeployment primary() {
        return deployments.get(0);
    }

    /** The group of the service's tasks. */
    public String group() {
        return "service:" + name;
    }

    /** This service with {@code added} in front of its events (newest first), keeping the newest 100. */
    public Service withEvents(List<ServiceEvent> added) {
        if (added.isEmpty()) {
            return this;
        }
        List<ServiceEvent> merged = new ArrayList<>(added.size() + events.size());
        for (int i = added.size() - 1; i >= 0; i--) {
            merged.add(added.get(i));
        }
        merged.addAll(events);
        return toBuilder().events(merged.subList(0, Math.min(MAX_EVENTS, merged.size()))).build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes to a service, as one copy. */
    public static final class Builder {
        private final Service s;
        private Status status;
        private String taskDefinition;
        private int desiredCount;
        private DeploymentConfig deploymentConfiguration;
        private Integer healthCheckGracePeriodSeconds;
        private JsonNode networkConfiguration;
        private JsonNode loadBalancers;
        private JsonNode serviceRegistries;
        private JsonNode placementConstraints;
        private JsonNode placementStrategy;
        private String platformVersion;
        private String propagateTags;
        private boolean enableEcsManagedTags;
        private boolean enableExecuteCommand;
        private List<ServiceDeployment> deployments;
        private List<ServiceEvent> events;
        private ServiceDeployment lastCompleted;
        private Throttle throttle;
        private boolean steady;

        Builder(Service s) {
            this.s = s;
            status = s.status;
            taskDefinition = s.taskDefinition;
            desiredCount = s.desiredCount;
            deploymentConfiguration = s.deploymentConfiguration;
            healthCheckGracePeriodSeconds = s.healthCheckGracePeriodSeconds;
            networkConfiguration = s.networkConfiguration;
            loadBalancers = s.loadBalancers;
            serviceRegistries = s.serviceRegistries;
            placementConstraints = s.placementConstraints;
            placementStrategy = s.placementStrategy;
            platformVersion = s.platformVersion;
            propagateTags = s.propagateTags;
            enableEcsManagedTags = s.enableEcsManagedTags;
            enableExecuteCommand = s.enableExecuteCommand;
            deployments = s.deployments;
            events = s.events;
            lastCompleted = s.lastCompleted;
            throttle = s.throttle;
            steady = s.steady;
        }

        public Builder status(Status v) { status = v; return this; }
        public Builder taskDefinition(String v) { taskDefinition = v; return this; }
        public Builder desiredCount(int v) { desiredCount = v; return this; }
        public Builder deploymentConfiguration(DeploymentConfig v) { deploymentConfiguration = v; return this; }
        public Builder healthCheckGracePeriodSeconds(Integer v) { healthCheckGracePeriodSeconds = v; return this; }
        public Builder networkConfiguration(JsonNode v) { networkConfiguration = v; return this; }
        public Builder loadBalancers(JsonNode v) { loadBalancers = v; return this; }
        public Builder serviceRegistries(JsonNode v) { serviceRegistries = v; return this; }
        public Builder placementConstraints(JsonNode v) { placementConstraints = v; return this; }
        public Builder placementStrategy(JsonNode v) { placementStrategy = v; return this; }
        public Builder platformVersion(String v) { platformVersion = v; return this; }
        public Builder propagateTags(String v) { propagateTags = v; return this; }
        public Builder enableEcsManagedTags(boolean v) { enableEcsManagedTags = v; return this; }
        public Builder enableExecuteCommand(boolean v) { enableExecuteCommand = v; return this; }
        public Builder deployments(List<ServiceDeployment> v) { deployments = v; return this; }
        public Builder events(List<ServiceEvent> v) { events = v; return this; }
        public Builder lastCompleted(ServiceDeployment v) { lastCompleted = v; return this; }
        public Builder throttle(Throttle v) { throttle = v; return this; }
        public Builder steady(boolean v) { steady = v; return this; }

        public Service build() {
            return new Service(s.cluster, s.name, status, taskDefinition, desiredCount, s.launchType,
                    s.schedulingStrategy, deploymentConfiguration, healthCheckGracePeriodSeconds, networkConfiguration,
                    loadBalancers, serviceRegistries, placementConstraints, placementStrategy, platformVersion,
                    propagateTags, enableEcsManagedTags, enableExecuteCommand, s.roleArn, s.clientToken, deployments,
                    events, lastCompleted, throttle, steady, s.createdAt, s.createdBy);
        }
    }
}
