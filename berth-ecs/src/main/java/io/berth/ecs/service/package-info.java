/**
 * ECS services: the {@link io.berth.ecs.service.Service} aggregate in the store (kind
 * {@code ecs-service}, key {@code cluster/name}), its operations (CreateService, UpdateService,
 * DeleteService, DescribeServices, ListServices) and the service scheduler
 * ({@link io.berth.ecs.service.ServiceController}) that keeps each service's tasks running.
 *
 * <p>A service's tasks are ordinary tasks (RunTask's path, {@link io.berth.ecs.task.Tasks}) with
 * group {@code service:<name>} and startedBy the id of the deployment that started them
 * ({@code ecs-svc/<digits>}); nothing else links them, so the scheduler recovers everything from
 * the store after a restart. Each pass, for each ACTIVE or DRAINING service:
 * <pre>
 *   service + its tasks + instances --> RolloutPlanner (pure, io.berth.scheduler.deployment)
 *        --> stop tasks (StopCode ServiceSchedulerInitiated), start tasks (Tasks.runForService)
 *        --> store the deployments' states, the launch throttle and the events (one optimistic write)
 * </pre>
 * A FAILED rollout or a rollback is stored first and acted on in the next pass. Counts
 * (running, pending, per deployment) are computed from the tasks when a service is described.
 */
package io.berth.ecs.service;
