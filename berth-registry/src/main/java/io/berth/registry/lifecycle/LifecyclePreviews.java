package io.berth.registry.lifecycle;

import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.registry.RegistryJson;
import io.berth.registry.blob.Digest;
import io.berth.registry.image.Images;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * Lifecycle policy previews (store kind {@value #KIND}, key: repository): what a policy would expire
 * now, computed when the preview starts and kept until the next one. It evaluates exactly as
 * {@link LifecycleEnforcer} does, so it shows what enforcement at that moment would delete (images an
 * index lists are in neither). Thread-safe.
 */
public final class LifecyclePreviews {
    public static final String KIND = "ecr-lifecycle-preview";

    /** An image the previewed policy would expire. */
    public record Result(Digest digest, List<String> tags, Instant pushedAt, int rulePriority) {
    }

    /** A preview: the policy text previewed, when, and its results (oldest push first). */
    public record Preview(String policyText, Instant startedAt, List<Result> results) {
    }

    private final StateStore store;
    private final Images images;
    private final InstantSource clock;

    public LifecyclePreviews(StateStore store, Images images, InstantSource clock) {
        this.store = store;
        this.images = images;
        this.clock = clock;
    }

    public Preview start(String repository, String policyText) {
        LifecyclePolicy policy = LifecyclePolicy.parse(policyText);
        Instant now = clock.instant();
        List<Result> results = LifecycleEvaluator.evaluate(policy, images.all(repository), now).stream()
                .map(e -> new Result(e.image().digest(), e.image().tags(), e.image().pushedAt(), e.rulePriority()))
                .toList();
        Preview preview = new Preview(policyText, now, results);
        store.commit(List.of(new Mutation.Put(KIND, repository, Mutation.ANY, RegistryJson.encode(preview))),
                Duration.ofSeconds(10));
        return preview;
    }

    public Optional<Preview> find(String repository) {
        return store.get(KIND, repository).map(v -> RegistryJson.decode(v.value(), Preview.class));
    }

    public void forget(String repository) {
        store.commit(List.of(new Mutation.Delete(KIND, repository, Mutation.ANY)), Duration.ofSeconds(10));
    }
}
