package io.berth.core.agent;

/** The labels every container Berth starts carries (the ECS agent's names, plus Berth's own). */
public final class AgentLabels {
    public static final String TASK_ARN = "com.amazonaws.ecs.task-arn";
    public static final String CONTAINER_NAME = "com.amazonaws.ecs.container-name";
    public static final String CLUSTER = "com.amazonaws.ecs.cluster";
    public static final String TASK_DEFINITION_FAMILY = "com.amazonaws.ecs.task-definition-family";
    public static final String TASK_DEFINITION_VERSION = "com.amazonaws.ecs.task-definition-version";
    public static final String CONTAINER_INSTANCE = "berth.container-instance";
    public static final String MANAGED = "berth.managed";

    private AgentLabels() {
    }
}
