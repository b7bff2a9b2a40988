package io.berth.ecs.taskdef;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The container instance attributes a definition needs (AWS's {@code requiresAttributes}): a subset
 * of the capability attributes ECS derives from the features a definition uses. Placement on EC2
 * instances requires the instance to carry each of them, so Berth's agent must advertise the same
 * names. Order: task-level first, then per container in definition order, without duplicates.
 */
final class RequiredAttributes {
    static final String DOCKER_API = "com.amazonaws.ecs.capability.docker-remote-api.";
    static final String LOGGING_DRIVER = "com.amazonaws.ecs.capability.logging-driver.";

    private RequiredAttributes() {
    }

    static List<String> of(JsonNode spec) {
        Set<String> names = new LinkedHashSet<>();
        boolean executionRole = spec.hasNonNull("executionRoleArn");
        if (spec.hasNonNull("taskRoleArn")) {
            names.add("com.amazonaws.ecs.capability.task-iam-role");
        }
        if (TaskDefinition.networkModeOf(spec) == NetworkMode.AWSVPC) {
            names.add(DOCKER_API + "1.18");
            names.add("ecs.capability.task-eni");
        }
        for (JsonNode c : spec.path("containerDefinitions")) {
            container(c, executionRole, names);
        }
        return List.copyOf(names);
    }

    private static void container(JsonNode c, boolean executionRole, Set<String> names) {
        JsonNode log = c.path("logConfiguration");
        if (log.hasNonNull("logDriver")) {
            String driver = log.get("logDriver").asText();
            names.add(LOGGING_DRIVER + driver);
            names.add(DOCKER_API + "1.19");
            if (driver.equals("awslogs") && executionRole) {
                names.add("ecs.capability.execution-role-awslogs");
            }
        }
        if (FargateRules.isEcrImage(c.path("image").asText())) {
            names.add("com.amazonaws.ecs.capability.ecr-auth");
            if (executionRole) {
                names.add("ecs.capability.execution-role-ecr-pull");
            }
        }
        if (c.hasNonNull("repositoryCredentials")) {
            names.add("com.amazonaws.ecs.capability.private-registry-authentication.secretsmanager");
        }
        if (c.hasNonNull("memoryReservation")) {
            names.add(DOCKER_API + "1.21");
        }
        if (c.hasNonNull("dockerLabels") || !c.path("ulimits").isEmpty()) {
            names.add(DOCKER_API + "1.18");
        }
        if (c.hasNonNull("healthCheck")) {
            names.add("ecs.capability.container-health-check");
            names.add(DOCKER_API + "1.24");
            if (c.get("healthCheck").hasNonNull("startPeriod")) {
                names.add(DOCKER_API + "1.29");
            }
        }
        if (c.path("linuxParameters").path("initProcessEnabled").asBoolean(false)) {
            names.add(DOCKER_API + "1.25");
        }
        if (!c.path("dependsOn").isEmpty() || c.hasNonNull("startTimeout") || c.hasNonNull("stopTimeout")) {
            names.add("ecs.capability.container-ordering");
        }
        for (JsonNode secret : c.path("secrets")) {
            names.add(secret.path("valueFrom").asText().contains(":secretsmanager:")
                    ? "ecs.capability.secrets.asm.environment-variables"
                    : "ecs.capability.secrets.ssm.environment-variables");
        }
        if (!c.path("environmentFiles").isEmpty()) {
            names.add("ecs.capability.env-files.s3");
        }
        if (c.path("firelensConfiguration").hasNonNull("type")) {
            names.add("ecs.capability.firelens." + c.get("firelensConfiguration").get("type").asText());
        }
    }
}
