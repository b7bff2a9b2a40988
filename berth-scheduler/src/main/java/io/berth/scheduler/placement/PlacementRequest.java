package io.berth.scheduler.placement;

import io.berth.core.error.BerthException;
import io.berth.scheduler.snapshot.TaskView;
import java.util.List;
import java.util.Objects;

/**
 * What to place: {@code count} tasks of one shape, with ECS's strategies and constraints.
 *
 * @param group the task group of the new tasks ({@code family:NAME} by default for standalone
 *     tasks, {@code service:NAME} for a service's); standalone tasks spread and are kept distinct
 *     relative to the live tasks of this group
 * @param serviceName the service the tasks belong to, or null for standalone tasks; when set,
 *     spread and distinctInstance count the service's tasks instead of the group's
 */
public record PlacementRequest(TaskDemand demand, int count, List<PlacementStrategy> strategies,
                               List<PlacementConstraint> constraints, String group, String serviceName) {
    /** RunTask, CreateService: "You can specify a maximum of 5 strategy rules". */
    public static final int MAX_STRATEGIES = 5;
    /** RunTask: up to 10 constraints, those of the task definition included. */
    public static final int MAX_CONSTRAINTS = 10;

    /**
     * The default of a service without strategies. ECS's developer guide
     * (task-placement-strategies): "For tasks running as part of an Amazon ECS service, the task
     * placement strategy is spread using the attribute:ecs.availability-zone"; the CreateService
     * and UpdateService references detail it: sort the instances by the fewest tasks of the service
     * in their Availability Zone, then favour "container instances with the fewest number of
     * running tasks for this service" - which is spread by instanceId as the tie-breaker.
     * Standalone tasks have no default (ties go to the earliest registered instance).
     */
    public static final List<PlacementStrategy> SERVICE_DEFAULT = List.of(
            PlacementStrategy.spread("attribute:ecs.availability-zone"), PlacementStrategy.spread("instanceId"));

    private static final String SERVICE_GROUP = "service:";

    public PlacementRequest {
        Objects.requireNonNull(demand, "demand");
        Objects.requireNonNull(group, "group");
        strategies = strategies == null ? List.of() : List.copyOf(strategies);
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
        if (serviceName != null && !group.equals(SERVICE_GROUP + serviceName)) {
            throw new IllegalArgumentException("a service's tasks are in group " + SERVICE_GROUP + serviceName
                    + ", not " + group);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        if (strategies.size() > MAX_STRATEGIES) {
            throw BerthException.invalidParameter("You can specify a maximum of " + MAX_STRATEGIES
                    + " placement strategies; " + strategies.size() + " were given.");
        }
        if (constraints.size() > MAX_CONSTRAINTS) {
            throw BerthException.invalidParameter("You can specify a maximum of " + MAX_CONSTRAINTS
                    + " placement constraints; " + constraints.size() + " were given.");
        }
    }

    /** {@code count} standalone tasks of {@code group}, no strategies or constraints yet. */
    public static PlacementRequest standalone(TaskDemand demand, int count, String group) {
        return new PlacementRequest(demand, count, List.of(), List.of(), group, null);
    }

    /** {@code count} tasks of service {@code serviceName} (group {@code service:NAME}). */
    public static PlacementRequest forService(TaskDemand demand, int count, String serviceName) {
        Objects.requireNonNull(serviceName, "serviceName");
        return new PlacementRequest(demand, count, List.of(), List.of(), SERVICE_GROUP + serviceName, serviceName);
    }

    public PlacementRequest withStrategies(List<PlacementStrategy> next) {
        return new PlacementRequest(demand, count, next, constraints, group, serviceName);
    }

    public PlacementRequest withStrategies(PlacementStrategy... next) {
        return withStrategies(List.of(next));
    }

    public PlacementRequest withConstraints(List<PlacementConstraint> next) {
        return new PlacementRequest(demand, count, strategies, next, group, serviceName);
    }

    public PlacementRequest withConstraints(PlacementConstraint... next) {
        return withConstraints(List.of(next));
    }

    public PlacementRequest withCount(int next) {
        return new PlacementRequest(demand, next, strategies, constraints, group, serviceName);
    }

    /** Tasks of a service (rather than standalone tasks). */
    public boolean service() {
        return serviceName != null;
    }

    /** The strategies in force: those given, or {@link #SERVICE_DEFAULT} for a service given none. */
    public List<PlacementStrategy> effectiveStrategies() {
        return strategies.isEmpty() && service() ? SERVICE_DEFAULT : strategies;
    }

    /** Whether {@code task} counts with the new tasks for spread and distinctInstance. */
    public boolean sameSet(TaskView task) {
        return service() ? serviceName.equals(task.serviceName()) : group.equals(task.group());
    }
}
