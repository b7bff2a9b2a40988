package io.berth.registry.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.registry.blob.Digest;
import io.berth.registry.image.ImageRecord;
import io.berth.registry.image.MediaTypes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of rule, and the evaluation rules between rules, as a table: images (a name, age in
 * days, tags), a policy, and the images it expires with the priority of the rule that expires each.
 * The rows named "ECR's ..." are the examples of
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_examples.html with their
 * documented outcome.
 */
class LifecycleEvaluatorTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final Map<Digest, String> NAMES = new ConcurrentHashMap<>();

    /** "name:days:tag1,tag2" (no tags: "name:days:"). */
    private static List<ImageRecord> images(String... specs) {
        List<ImageRecord> out = new ArrayList<>();
        for (String spec : specs) {
            String[] p = spec.split(":", -1);
            List<String> tags = p[2].isEmpty() ? List.of() : Arrays.asList(p[2].split(","));
            NAMES.put(Digest.sha256(p[0].getBytes()), p[0]);
            out.add(new ImageRecord("repo", Digest.sha256(p[0].getBytes()), MediaTypes.OCI_MANIFEST, null, null, 100,
                    100, NOW.minus(Duration.ofDays(Long.parseLong(p[1]))).minusSeconds(out.size()), tags, List.of(),
                    List.of(), null, Map.of(), null, null));
        }
        return out;
    }

    private static String rule(int priority, String selection) {
        return "{\"rulePriority\":" + priority + ",\"selection\":{" + selection + "},\"action\":{\"type\":\"expire\"}}";
    }

    private static String policy(String... rules) {
        return "{\"rules\":[" + String.join(",", rules) + "]}";
    }

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("untagged, count more than 1",
                        policy(rule(1, "\"tagStatus\":\"untagged\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1")),
                        images("u1:1:", "u2:2:", "u3:3:", "t1:9:v1"), "u3@1 u2@1"),
                Arguments.of("untagged, pushed more than 14 days ago",
                        policy(rule(1, "\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\",\"countUnit\":"
                                + "\"days\",\"countNumber\":14")),
                        images("old:20:", "young:10:", "tagged:30:v1"), "old@1"),
                Arguments.of("tagged by prefix, count more than 2",
                        policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"prod\"],\"countType\":"
                                + "\"imageCountMoreThan\",\"countNumber\":2")),
                        images("p1:1:prod-1", "p2:2:prod-2", "p3:3:prod-3", "d1:4:dev-1"), "p3@1"),
                Arguments.of("tagged by pattern, pushed more than 7 days ago",
                        policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"v*-rc\"],\"countType\":"
                                + "\"sinceImagePushed\",\"countUnit\":\"days\",\"countNumber\":7")),
                        images("rc1:10:v1-rc", "rc2:3:v2-rc", "rel:30:v1"), "rc1@1"),
                Arguments.of("any, count more than 2",
                        policy(rule(1, "\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":2")),
                        images("a:1:x", "b:2:y", "c:3:z", "u:4:"), "u@1 c@1"),
                Arguments.of("any, pushed more than 30 days ago",
                        policy(rule(1, "\"tagStatus\":\"any\",\"countType\":\"sinceImagePushed\",\"countUnit\":"
                                + "\"days\",\"countNumber\":30")),
                        images("a:31:x", "b:29:", "c:45:"), "c@1 a@1"),
                Arguments.of("several prefixes must all match",
                        policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"prod\",\"v1\"],\"countType\":"
                                + "\"sinceImagePushed\",\"countUnit\":\"days\",\"countNumber\":1")),
                        images("both:5:prod,v1.0", "one:5:prod", "other:5:v1.2"), "both@1"),
                Arguments.of("a matched image is protected from lower priorities",
                        policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"prod\"],\"countType\":"
                                        + "\"imageCountMoreThan\",\"countNumber\":1"),
                                rule(2, "\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1")),
                        images("pa:1:prod-a", "pb:2:prod-b", "dev:3:dev", "u:4:"), "u@2 dev@2 pb@1"),
                Arguments.of("marked images still count for lower rules",
                        policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"a\"],\"countType\":"
                                        + "\"sinceImagePushed\",\"countUnit\":\"days\",\"countNumber\":1"),
                                rule(2, "\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":2")),
                        images("a1:5:a1", "x:1:", "y:2:", "z:3:"), "a1@1 z@2"),
                Arguments.of("an image is expired by one rule at most",
                        policy(rule(1, "\"tagStatus\":\"untagged\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1"),
                                rule(9, "\"tagStatus\":\"any\",\"countType\":\"sinceImagePushed\",\"countUnit\":"
                                        + "\"days\",\"countNumber\":1")),
                        images("u1:2:", "u2:3:"), "u2@1"),
                Arguments.of("rules apply in priority order whatever their order in the text",
                        policy(rule(5, "\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1"),
                                rule(2, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"keep\"],\"countType\":"
                                        + "\"imageCountMoreThan\",\"countNumber\":5")),
                        images("k1:1:keep-1", "k2:2:keep-2", "n:3:other"), "n@5"),
                Arguments.of("ECR's several tags in one rule A: every pattern must match one of the tags",
                        policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"alpha*\",\"beta*\"],\"countType\":"
                                + "\"sinceImagePushed\",\"countUnit\":\"days\",\"countNumber\":5")),
                        images("A:12:alpha-1", "B:11:beta-1", "C:10:alpha-2,beta-2", "D:4:alpha-3", "E:3:beta-3",
                                "F:2:alpha-4,beta-4"), "C@1"),
                Arguments.of("ECR's several tags in one rule B: other tags do not matter, count more than 1",
                        policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"alpha*\",\"beta*\"],\"countType\":"
                                + "\"imageCountMoreThan\",\"countNumber\":1")),
                        images("A:10:alpha-1,beta-1,gamma-1", "B:9:alpha-2,beta-2", "C:8:alpha-3,beta-3,gamma-2"),
                        "A@1 B@1"),
                Arguments.of("ECR's multiple rules A: an image seen by a rule is not expired by a later one",
                        policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"prod*\"],\"countType\":"
                                        + "\"imageCountMoreThan\",\"countNumber\":1"),
                                rule(2, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"beta*\"],\"countType\":"
                                        + "\"imageCountMoreThan\",\"countNumber\":1")),
                        images("A:10:beta-1,prod-1", "B:9:beta-2,prod-2", "C:8:beta-3"), "A@1"),
                Arguments.of("ECR's multiple rules B: the same rules the other way round",
                        policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"beta*\"],\"countType\":"
                                        + "\"imageCountMoreThan\",\"countNumber\":1"),
                                rule(2, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"prod*\"],\"countType\":"
                                        + "\"imageCountMoreThan\",\"countNumber\":1")),
                        images("A:10:beta-1,prod-1", "B:9:beta-2,prod-2", "C:8:beta-3"), "A@1 B@1"),
                Arguments.of("ECR's multiple rules A with prefixes",
                        policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"prod\"],\"countType\":"
                                        + "\"imageCountMoreThan\",\"countNumber\":1"),
                                rule(2, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"beta\"],\"countType\":"
                                        + "\"imageCountMoreThan\",\"countNumber\":1")),
                        images("A:10:beta-1,prod-1", "B:9:beta-2,prod-2", "C:8:beta-3"), "A@1"),
                Arguments.of("tagged by pattern, count more than 2: untagged and unmatched images neither count nor expire",
                        policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"v*\"],\"countType\":"
                                + "\"imageCountMoreThan\",\"countNumber\":2")),
                        images("v1:1:v1.0", "v2:2:v2.0-rc", "u:3:", "v3:4:v1.1", "x:5:latest", "v4:6:v0.9",
                                "v5:7:v0.8"), "v5@1 v4@1 v3@1"),
                Arguments.of("tagged by pattern, count: an image with two matching tags counts once",
                        policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"release-*\"],\"countType\":"
                                + "\"imageCountMoreThan\",\"countNumber\":1")),
                        images("r1:1:release-2,release-latest", "r2:2:release-1"), "r2@1"),
                Arguments.of("one tag may match several patterns (each pattern is matched against any tag)",
                        policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"prod*\",\"*-1\"],\"countType\":"
                                + "\"sinceImagePushed\",\"countUnit\":\"days\",\"countNumber\":1")),
                        images("p1:5:prod-1", "p2:5:prod-2", "s1:5:staging-1"), "p1@1"),
                Arguments.of("a pattern matches the whole tag",
                        policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"prod\"],\"countType\":"
                                + "\"sinceImagePushed\",\"countUnit\":\"days\",\"countNumber\":1")),
                        images("e:5:prod", "f:5:prod-1", "g:5:preprod"), "e@1"),
                Arguments.of("tagged by pattern, count, then any: the pattern's images count for any",
                        policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"release-*\"],\"countType\":"
                                        + "\"imageCountMoreThan\",\"countNumber\":1"),
                                rule(2, "\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":2")),
                        images("r1:1:release-3", "r2:2:release-2", "r3:3:release-1", "d1:4:dev-9", "u:5:"),
                        "u@2 d1@2 r3@1 r2@1"),
                Arguments.of("nothing to expire",
                        policy(rule(1, "\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":10")),
                        images("a:1:x", "b:2:"), ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void policiesExpireWhatEcrWould(String name, String policyText, List<ImageRecord> images, String expected) {
        LifecyclePolicy policy = LifecyclePolicy.parse(policyText);
        List<String> expired = LifecycleEvaluator.evaluate(policy, images, NOW).stream()
                .map(e -> nameOf(e.image()) + "@" + e.rulePriority()).toList();
        assertThat(String.join(" ", expired)).isEqualTo(expected);
    }

    private static String nameOf(ImageRecord image) {
        return NAMES.getOrDefault(image.digest(), image.digest().toString());
    }
}
