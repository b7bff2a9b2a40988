package io.berth.registry.lifecycle;

import java.util.List;
import java.util.Objects;

/**
 * One rule of a lifecycle policy.
 *
 * @param priority the rulePriority: unique, lowest evaluated first
 * @param tagStatus which images the rule selects by their tags
 * @param tagPrefixes for TAGGED: every prefix must start one of the image's tags
 * @param tagPatterns for TAGGED: every wildcard pattern must match one of the image's tags
 * @param countType how the selected images are counted
 * @param countNumber images to keep (IMAGE_COUNT_MORE_THAN) or days since the push (SINCE_IMAGE_PUSHED)
 */
public record LifecycleRule(int priority, String description, TagStatus tagStatus, List<String> tagPrefixes,
                            List<String> tagPatterns, CountType countType, int countNumber) {
    public enum TagStatus { TAGGED, UNTAGGED, ANY }

    public enum CountType { IMAGE_COUNT_MORE_THAN, SINCE_IMAGE_PUSHED }

    public LifecycleRule {
        Objects.requireNonNull(tagStatus);
        Objects.requireNonNull(countType);
        tagPrefixes = tagPrefixes == null ? List.of() : List.copyOf(tagPrefixes);
        tagPatterns = tagPatterns == null ? List.of() : List.copyOf(tagPatterns);
    }
}
