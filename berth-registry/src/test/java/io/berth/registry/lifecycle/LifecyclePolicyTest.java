package io.berth.registry.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.registry.error.RegistryError;
import io.berth.registry.error.RegistryException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ECR's validation of lifecycle policy texts, one refusal per row. */
class LifecyclePolicyTest {
    private static final String EXPIRE = ",\"action\":{\"type\":\"expire\"}";

    private static String one(String selection) {
        return "{\"rules\":[{\"rulePriority\":1,\"selection\":{" + selection + "}" + EXPIRE + "}]}";
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("{not json", "not valid JSON"),
                Arguments.of("{}", "missing required properties ([\"rules\"])"),
                Arguments.of("{\"rules\":[]}", "array is too short"),
                Arguments.of("{\"rules\":[{\"selection\":{}" + EXPIRE + "}]}", "missing required properties ([\"rulePriority\"])"),
                Arguments.of("{\"rules\":[{\"rulePriority\":0,\"selection\":{\"tagStatus\":\"untagged\",\"countType\":"
                        + "\"imageCountMoreThan\",\"countNumber\":1}" + EXPIRE + "}]}", "rulePriority must be an integer"),
                Arguments.of("{\"rules\":[{\"rulePriority\":\"1\",\"selection\":{\"tagStatus\":\"untagged\",\"countType\":"
                        + "\"imageCountMoreThan\",\"countNumber\":1}" + EXPIRE + "}]}", "rulePriority must be an integer"),
                Arguments.of(one("\"countType\":\"imageCountMoreThan\",\"countNumber\":1"),
                        "missing required properties ([\"tagStatus\"])"),
                Arguments.of(one("\"tagStatus\":\"some\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1"),
                        "not found in enum"),
                Arguments.of(one("\"tagStatus\":\"tagged\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1"),
                        "tagPrefixList or tagPatternList is required when tagStatus is tagged"),
                Arguments.of(one("\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"a\"],\"tagPatternList\":[\"b*\"],"
                        + "\"countType\":\"imageCountMoreThan\",\"countNumber\":1"), "cannot both be used"),
                Arguments.of(one("\"tagStatus\":\"untagged\",\"tagPrefixList\":[\"a\"],\"countType\":"
                        + "\"imageCountMoreThan\",\"countNumber\":1"), "can only be used when tagStatus is tagged"),
                Arguments.of(one("\"tagStatus\":\"any\",\"tagPatternList\":[\"a*\"],\"countType\":"
                        + "\"imageCountMoreThan\",\"countNumber\":1"), "can only be used when tagStatus is tagged"),
                Arguments.of(one("\"tagStatus\":\"tagged\",\"tagPatternList\":[\"a*b*c*d*e*\"],\"countType\":"
                        + "\"imageCountMoreThan\",\"countNumber\":1"), "at most 4 wildcards"),
                Arguments.of(one("\"tagStatus\":\"tagged\",\"tagPrefixList\":[],\"countType\":"
                        + "\"imageCountMoreThan\",\"countNumber\":1"), "must not be empty"),
                Arguments.of(one("\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePulled\",\"countNumber\":1"),
                        "not found in enum"),
                Arguments.of(one("\"tagStatus\":\"untagged\",\"countType\":\"imageCountMoreThan\",\"countNumber\":0"),
                        "countNumber must be an integer greater than or equal to 1"),
                Arguments.of(one("\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\",\"countNumber\":3"),
                        "countUnit 'days' is required"),
                Arguments.of(one("\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\",\"countUnit\":\"hours\","
                        + "\"countNumber\":3"), "countUnit 'days' is required"),
                Arguments.of(one("\"tagStatus\":\"untagged\",\"countType\":\"imageCountMoreThan\",\"countUnit\":\"days\","
                        + "\"countNumber\":3"), "countUnit cannot be used"),
                Arguments.of("{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"untagged\",\"countType\":"
                        + "\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"delete\"}}]}", "not found in enum"),
                Arguments.of("{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"untagged\",\"countType\":"
                        + "\"imageCountMoreThan\",\"countNumber\":1}" + EXPIRE + "},{\"rulePriority\":1,\"selection\":{"
                        + "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"a\"],\"countType\":\"imageCountMoreThan\","
                        + "\"countNumber\":1}" + EXPIRE + "}]}", "rule priorities must be unique"),
                Arguments.of("{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\",\"countType\":"
                        + "\"imageCountMoreThan\",\"countNumber\":1}" + EXPIRE + "},{\"rulePriority\":2,\"selection\":{"
                        + "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"a\"],\"countType\":\"imageCountMoreThan\","
                        + "\"countNumber\":1}" + EXPIRE + "}]}", "must have the highest rulePriority"),
                Arguments.of("{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"untagged\",\"countType\":"
                        + "\"imageCountMoreThan\",\"countNumber\":1}" + EXPIRE + "},{\"rulePriority\":2,\"selection\":{"
                        + "\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\",\"countUnit\":\"days\","
                        + "\"countNumber\":1}" + EXPIRE + "}]}", "Only one rule may select untagged images"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("refusals")
    void invalidPoliciesAreRefusedWithEcrsMessage(String text, String reason) {
        assertThatThrownBy(() -> LifecyclePolicy.parse(text)).isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.error()).isEqualTo(RegistryError.INVALID_PARAMETER);
            assertThat(e.getMessage()).startsWith("Invalid parameter at 'LifecyclePolicyText' failed to satisfy "
                    + "constraint: 'Lifecycle policy validation failure: ").contains(reason);
        });
    }

    @Test
    void aValidPolicyKeepsItsRulesInPriorityOrder() {
        LifecyclePolicy p = LifecyclePolicy.parse("{\"rules\":[{\"rulePriority\":10,\"description\":\"all\",\"selection\":{"
                + "\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":100}" + EXPIRE + "},"
                + "{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"tagged\",\"tagPatternList\":[\"*-rc*\"],"
                + "\"countType\":\"sinceImagePushed\",\"countUnit\":\"days\",\"countNumber\":7}" + EXPIRE + "}]}");
        assertThat(p.rules()).extracting(LifecycleRule::priority).containsExactly(1, 10);
        assertThat(p.rules().get(1).description()).isEqualTo("all");
        assertThat(p.rules().get(0).tagPatterns()).containsExactly("*-rc*");
    }
}
