package io.berth.ecs.taskdef;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a task definition must satisfy to run on Fargate. Used twice: RegisterTaskDefinition refuses
 * a definition that requires FARGATE and breaks a rule (ClientException with the rule's message), and
 * {@link Compatibilities} lists FARGATE only for definitions that break none.
 *
 * <p>Sources: the ECS developer guide "Fargate task definition differences" (parameters Fargate does
 * not take) and AWS's messages as users quote them; see {@code package-info} for which are verified.
 * Expects a definition that already passed the structural checks of {@link TaskDefinitionValidator}.
 */
final class FargateRules {
    private static final Set<String> LOG_DRIVERS = Set.of("awslogs", "splunk", "awsfirelens");
    private static final Pattern ECR_IMAGE = Pattern.compile("^\\d{12}\\.dkr\\.ecr\\.[^/]+\\.amazonaws\\.com(\\.cn)?/.*");
    private static final int MAX_STOP_TIMEOUT = 120;

    private FargateRules() {
    }

    /** The first rule {@code spec} breaks, as AWS's ClientException message; empty if it fits Fargate. */
    static Optional<String> violation(JsonNode spec) {
        if (TaskDefinition.networkModeOf(spec) != NetworkMode.AWSVPC) {
            return Optional.of("Fargate only supports network mode \u2018awsvpc\u2019.");
        }
        OptionalInt cpu = TaskSize.cpuOf(TaskDefinition.text(spec, "cpu"));
        OptionalInt memory = TaskSize.memoryOf(TaskDefinition.text(spec, "memory"));
        if (cpu.isEmpty()) {
            return Optional.of("Fargate requires that 'cpu' be defined at the task level.");
        }
        if (memory.isEmpty()) {
            return Optional.of("Fargate requires that 'memory' be defined at the task level.");
        }
        if (!TaskSize.fargateOffers(cpu.getAsInt(), memory.getAsInt())) {
            return Optional.of("No Fargate configuration exists for given values: " + cpu.getAsInt() + " CPU, "
                    + memory.getAsInt() + " memory. See the Amazon ECS documentation for the valid combinations"
                    + " of supported values.");
        }
        if (spec.hasNonNull("ipcMode")) {
            return unsupported("ipcMode");
        }
        if ("host".equals(spec.path("pidMode").asText())) {
            return Optional.of("Tasks using the Fargate launch type only support pidMode 'task'.");
        }
        if (!spec.path("placementConstraints").isEmpty()) {
            return unsupported("placementConstraints");
        }
        for (JsonNode volume : spec.path("volumes")) {
            if (volume.path("host").hasNonNull("sourcePath")) {
                return unsupported("host volumes with a sourcePath");
            }
            if (volume.hasNonNull("dockerVolumeConfiguration")) {
                return unsupported("dockerVolumeConfiguration");
            }
        }
        boolean executionRole = spec.hasNonNull("executionRoleArn");
        for (JsonNode c : spec.path("containerDefinitions")) {
            Optional<String> problem = container(c, executionRole);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> container(JsonNode c, boolean executionRole) {
        if (c.path("privileged").asBoolean(false)) {
            return unsupported("privileged containers");
        }
        if (c.path("disableNetworking").asBoolean(false)) {
            return unsupported("disableNetworking");
        }
        for (String member : new String[] {"links", "dockerSecurityOptions", "extraHosts", "dnsServers",
                "dnsSearchDomains"}) {
            if (!c.path(member).isEmpty()) {
                return unsupported(member);
            }
        }
        JsonNode linux = c.path("linuxParameters");
        for (String member : new String[] {"devices", "sharedMemorySize", "tmpfs", "maxSwap", "swappiness"}) {
            if (linux.hasNonNull(member) && !(linux.get(member).isArray() && linux.get(member).isEmpty())) {
                return unsupported("linuxParameters." + member);
            }
        }
        for (JsonNode r : c.path("resourceRequirements")) {
            if ("GPU".equals(r.path("type").asText())) {
                return unsupported("GPU resource requirements");
            }
        }
        if (c.path("stopTimeout").asInt(0) > MAX_STOP_TIMEOUT) {
            return Optional.of("Tasks using the Fargate launch type must have a container stop timeout of at most "
                    + MAX_STOP_TIMEOUT + " seconds.");
        }
        String driver = c.path("logConfiguration").path("logDriver").asText(null);
        if (driver != null && !LOG_DRIVERS.contains(driver)) {
            return Optional.of(driver + " is not a valid log driver. Must be one of [awslogs,splunk,awsfirelens]");
        }
        if ("awslogs".equals(driver) && !executionRole) {
            return Optional.of("Fargate requires task definition to have execution role ARN to support log driver"
                    + " awslogs.");
        }
        if (ECR_IMAGE.matcher(c.path("image").asText()).matches() && !executionRole) {
            return Optional.of("Fargate requires task definition to have execution role ARN to support ECR images.");
        }
        return Optional.empty();
    }

    static boolean isEcrImage(String image) {
        return ECR_IMAGE.matcher(image).matches();
    }

    private static Optional<String> unsupported(String what) {
        return Optional.of("Tasks using the Fargate launch type do not support " + what + ".");
    }
}
