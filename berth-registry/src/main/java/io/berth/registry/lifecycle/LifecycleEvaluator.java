package io.berth.registry.lifecycle;

import io.berth.registry.blob.Digest;
import io.berth.registry.image.ImageRecord;
import io.berth.registry.repository.TagMutability;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which images a lifecycle policy expires, as ECR documents it ("Lifecycle policy evaluation rules"):
 * every rule identifies the images its tag selection matches; rules mark in priority order; an
 * image is marked by at most one rule; an image matched by a rule cannot be marked by a rule of
 * lower priority (higher number), though it still counts in that rule's {@code imageCountMoreThan};
 * counting keeps the newest images and expires older ones. Pure.
 *
 * <p>An image an index (manifest list) of the repository lists is not a candidate at all: it is
 * neither expired nor counted. Deleting it is refused while the index exists
 * ({@code ImageReferencedByManifestList}), so expiring it would make the preview promise what
 * enforcement cannot do; once its last index is gone it becomes an ordinary (usually untagged) image
 * at the next evaluation. ECR documents nothing here; this matches what users observe of ECR (a
 * preview that ranks only the images outside manifest lists) and ECR's open request to expire an
 * index's images with it (aws/containers-roadmap#1466). Preview and enforcement both call
 * {@link #evaluate}, so they agree.
 */
public final class LifecycleEvaluator {
    /** An image the policy expires, and the priority of the rule that did. */
    public record Expiration(ImageRecord image, int rulePriority) {
    }

    private LifecycleEvaluator() {
    }

    /** What {@code policy} expires of a repository's {@code images} (all of them: indexes included). */
    public static List<Expiration> evaluate(LifecyclePolicy policy, List<ImageRecord> images, Instant now) {
        Set<Digest> listed = new HashSet<>();
        images.forEach(i -> listed.addAll(i.children()));
        List<ImageRecord> newestFirst = images.stream()
                .filter(i -> !listed.contains(i.digest()))
                .sorted(Comparator.comparing(ImageRecord::pushedAt).reversed()
                        .thenComparing(i -> i.digest().toString()))
                .toList();
        Set<ImageRecord> claimed = new HashSet<>();
        Set<ImageRecord> marked = new HashSet<>();
        List<Expiration> out = new ArrayList<>();
        for (LifecycleRule rule : policy.rules()) {
            List<ImageRecord> matching = newestFirst.stream().filter(i -> selects(rule, i)).toList();
            for (int i = 0; i < matching.size(); i++) {
                ImageRecord image = matching.get(i);
                boolean expires = switch (rule.countType()) {
                    case IMAGE_COUNT_MORE_THAN -> i >= rule.countNumber();
                    case SINCE_IMAGE_PUSHED -> image.pushedAt().isBefore(now.minus(Duration.ofDays(rule.countNumber())));
                };
                if (expires && !claimed.contains(image) && marked.add(image)) {
                    out.add(new Expiration(image, rule.priority()));
                }
            }
            claimed.addAll(matching);
        }
        out.sort(Comparator.comparing((Expiration e) -> e.image().pushedAt()).thenComparing(e -> e.image().digest()));
        return out;
    }

    /**
     * Whether the rule's tag selection takes the image. Several prefixes or patterns select the
     * images having them all: each must match one of the image's tags (the same tag may do for
     * several), and the image's other tags do not matter ("an image is successfully matched if all of
     * the tags in the tagPrefixList value are matched against any of the image's tags"; ECR's
     * "Filtering on multiple tags in a single rule" examples). A pattern matches a whole tag.
     */
    static boolean selects(LifecycleRule rule, ImageRecord image) {
        return switch (rule.tagStatus()) {
            case ANY -> true;
            case UNTAGGED -> !image.tagged();
            case TAGGED -> image.tagged() && rule.tagPrefixes().stream()
                    .allMatch(p -> image.tags().stream().anyMatch(t -> t.startsWith(p)))
                    && rule.tagPatterns().stream().map(TagMutability::wildcard)
                    .allMatch(p -> image.tags().stream().anyMatch(t -> p.matcher(t).matches()));
        };
    }
}
