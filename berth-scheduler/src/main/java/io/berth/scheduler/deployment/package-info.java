/**
 * The rolling-deployment planner of ECS services: a pure function from what a service wants (its
 * desired count, deployment configuration and deployments) and what its tasks are doing now to the
 * actions of one reconcile tick (start so many tasks for the PRIMARY deployment, stop these tasks)
 * and the deployments' new states. It reads no clock and keeps no state: the caller passes
 * {@code now} and stores what the plan returns, so running it twice on the same input gives the
 * same plan and a controller that crashed simply plans again.
 *
 * <p>A deployment's rollout, as ECS keeps it:
 * <pre>
 *   new deployment (UpdateService, CreateService)          circuit breaker tripped
 *   PRIMARY / IN_PROGRESS ---------------------------------> FAILED (launches nothing more)
 *        |                                                    |  rollback: the last COMPLETED
 *        | desired tasks healthy, no other deployment left    |  deployment is PRIMARY again,
 *        v                                                    v  IN_PROGRESS
 *   PRIMARY / COMPLETED --(a newer deployment)--> ACTIVE --(its tasks all stopped)--> INACTIVE (dropped)
 * </pre>
 *
 * <p>Each tick, with {@code max = floor(desired * maximumPercent / 100)} and
 * {@code min = ceil(desired * minimumHealthyPercent / 100)}: unhealthy tasks (past the grace
 * period) are stopped; the PRIMARY starts up to {@code min(desired - its tasks, max - tasks in
 * flight)}; tasks of older deployments, tasks on DRAINING instances and tasks beyond the desired
 * count are stopped, those not yet healthy first, the healthy ones only while more than
 * {@code min} tasks stay healthy.
 */
package io.berth.scheduler.deployment;
