package io.berth.ecs.taskdef;

/**
 * Lifecycle of one task definition revision. Revisions never come back to ACTIVE.
 *
 * <pre>
 *   RegisterTaskDefinition        DeregisterTaskDefinition        DeleteTaskDefinitions
 *  ------------------------> ACTIVE -----------------> INACTIVE ------------------> DELETE_IN_PROGRESS
 *                                                                                         |
 *                                 no task or service uses it any more (sweep) ------------+--> gone
 * </pre>
 */
public enum TaskDefinitionStatus {
    ACTIVE,
    INACTIVE,
    DELETE_IN_PROGRESS
}
