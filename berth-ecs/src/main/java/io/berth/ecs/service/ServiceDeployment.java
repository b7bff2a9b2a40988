package io.berth.ecs.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.scheduler.deployment.DeploymentState;
import io.berth.scheduler.deployment.RolloutState;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of a service's {@code deployments[]}: what it runs (task definition, launch type,
 * network configuration) and the planner's state of its rollout.
 *
 * @param status PRIMARY or ACTIVE (an INACTIVE deployment is dropped from the service)
 * @param rollbackOf for a deployment made by a rollback, the COMPLETED deployment it restores
 * @param loadBalancers the service's {@code loadBalancers} when this deployment was made: where its
 *     tasks register (null: stored before deployments kept them; the service's then)
 */
public record ServiceDeployment(String id, String status, String taskDefinition, String launchType,
                                JsonNode networkConfiguration, String platformVersion, RolloutState rolloutState,
                                String rolloutStateReason, int failedTasks, boolean sawRunning,
                                Set<String> countedFailures, String rollbackOf, Instant createdAt, Instant updatedAt,
                                JsonNode loadBalancers) {
    public static final String PRIMARY = "PRIMARY";
    public static final String ACTIVE = "ACTIVE";

    public ServiceDeployment {
        Objects.requireNonNull(id);
        Objects.requireNonNull(status);
        Objects.requireNonNull(taskDefinition);
        Objects.requireNonNull(rolloutState);
        countedFailures = countedFailures == null ? Set.of() : Set.copyOf(countedFailures);
    }

    /** A new PRIMARY deployment, IN_PROGRESS. */
    static ServiceDeployment started(String id, String taskDefinition, String launchType, JsonNode network,
                                     String platformVersion, JsonNode loadBalancers, Instant at) {
        DeploymentState s = DeploymentState.started(id);
        return new ServiceDeployment(id, PRIMARY, taskDefinition, launchType, network, platformVersion,
                s.rolloutState(), s.rolloutStateReason(), 0, false, Set.of(), null, at, at, loadBalancers);
    }

    DeploymentState state() {
        return new DeploymentState(id, rolloutState, rolloutStateReason, failedTasks, sawRunning, countedFailures,
                rollbackOf);
    }

    /** This deployment with the planner's new state and {@code newStatus}; updatedAt moves if anything did. */
    ServiceDeployment with(DeploymentState s, String newStatus, Instant at) {
        boolean changed = !newStatus.equals(status) || s.rolloutState() != rolloutState
                || !Objects.equals(s.rolloutStateReason(), rolloutStateReason) || s.failedTasks() != failedTasks;
        return new ServiceDeployment(id, newStatus, taskDefinition, launchType, networkConfiguration, platformVersion,
                s.rolloutState(), s.rolloutStateReason(), s.failedTasks(), s.sawRunning(), s.countedFailures(),
                s.rollbackOf(), createdAt, changed ? at : updatedAt, loadBalancers);
    }

    /** What this deployment runs, under a new id: the deployment a rollback makes when this one is gone. */
    ServiceDeployment restoredAs(DeploymentState s, Instant at) {
        return new ServiceDeployment(s.id(), PRIMARY, taskDefinition, launchType, networkConfiguration,
                platformVersion, s.rolloutState(), s.rolloutStateReason(), s.failedTasks(), s.sawRunning(),
                s.countedFailures(), s.rollbackOf(), at, at, loadBalancers);
    }

    ServiceDeployment demoted(Instant at) {
        return new ServiceDeployment(id, ACTIVE, taskDefinition, launchType, networkConfiguration, platformVersion,
                rolloutState, rolloutStateReason, failedTasks, sawRunning, countedFailures, rollbackOf, createdAt, at,
                loadBalancers);
    }
}
