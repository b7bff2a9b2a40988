package io.berth.ecs.taskdef;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The launch types a definition validates against: AWS's {@code compatibilities} output member.
 * As in AWS's published outputs (aws-cli examples register-, describe- and delete-task-definitions):
 * definitions without awsvpc list {@code ["EXTERNAL", "EC2"]}; awsvpc ones list {@code ["EC2"]}, plus
 * FARGATE when they meet every {@link FargateRules} rule (ECS Anywhere does not take awsvpc).
 */
final class Compatibilities {
    private Compatibilities() {
    }

    static List<Compatibility> of(JsonNode spec) {
        if (TaskDefinition.networkModeOf(spec) != NetworkMode.AWSVPC) {
            return List.of(Compatibility.EXTERNAL, Compatibility.EC2);
        }
        return FargateRules.violation(spec).isEmpty()
                ? List.of(Compatibility.EC2, Compatibility.FARGATE)
                : List.of(Compatibility.EC2);
    }
}
