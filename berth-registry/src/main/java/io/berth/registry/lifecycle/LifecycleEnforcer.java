package io.berth.registry.lifecycle;

import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.registry.RegistryJson;
import io.berth.registry.image.ImageRecord;
import io.berth.registry.image.Images;
import io.berth.registry.repository.Repositories;
import io.berth.registry.repository.Repository;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces every repository's lifecycle policy: evaluates it over the repository's images and
 * deletes the expired ones, each only if unchanged since the evaluation (a tag pushed meanwhile
 * saves it) and not listed by an index (the evaluation leaves out images an index lists, so only an
 * index pushed meanwhile saves one). Records when each repository was last evaluated (store kind
 * {@value #KIND}). Idempotent; run from one thread at a time.
 */
public final class LifecycleEnforcer {
    public static final String KIND = "ecr-lifecycle-state";
    private static final Logger LOG = LoggerFactory.getLogger(LifecycleEnforcer.class);
    private static final Duration RECORD_EVERY = Duration.ofHours(1);

    /** What the enforcer keeps per repository. */
    public record State(Instant lastEvaluatedAt) {
    }

    /** What one run did. */
    public record Report(int repositories, int expired) {
    }

    private final Repositories repositories;
    private final Images images;
    private final StateStore store;
    private final InstantSource clock;

    public LifecycleEnforcer(Repositories repositories, Images images, StateStore store, InstantSource clock) {
        this.repositories = repositories;
        this.images = images;
        this.store = store;
        this.clock = clock;
    }

    /** The repositories whose policies this enforces. */
    public Repositories repositories() {
        return repositories;
    }

    public Report run() {
        int evaluated = 0;
        int expired = 0;
        String after = null;
        while (true) {
            List<Repository> page = repositories.list(after, 200);
            for (Repository repository : page) {
                after = repository.name();
                if (repository.lifecyclePolicyText() == null) {
                    continue;
                }
                try {
                    expired += enforce(repository);
                    evaluated++;
                } catch (RuntimeException e) {
                    LOG.warn("lifecycle policy of {} not enforced", repository.name(), e);
                }
            }
            if (page.size() < 200) {
                break;
            }
        }
        return new Report(evaluated, expired);
    }

    /** Enforces one repository's policy now; returns how many images it expired. */
    public int enforce(Repository repository) {
        Instant now = clock.instant();
        LifecyclePolicy policy = LifecyclePolicy.parse(repository.lifecyclePolicyText());
        int expired = 0;
        for (LifecycleEvaluator.Expiration e : LifecycleEvaluator.evaluate(policy, images.all(repository.name()), now)) {
            ImageRecord image = e.image();
            if (images.deleteIfUnchanged(image)) {
                expired++;
                LOG.info("lifecycle rule {} of {} expired {} {}", e.rulePriority(), repository.name(), image.digest(),
                        image.tags());
            }
        }
        Optional<Instant> last = lastEvaluatedAt(repository.name());
        if (expired > 0 || last.isEmpty() || last.get().plus(RECORD_EVERY).isBefore(now)) {
            store.commit(List.of(new Mutation.Put(KIND, repository.name(), Mutation.ANY,
                    RegistryJson.encode(new State(now)))), Duration.ofSeconds(10));
        }
        return expired;
    }

    public Optional<Instant> lastEvaluatedAt(String repository) {
        return store.get(KIND, repository).map(v -> RegistryJson.decode(v.value(), State.class).lastEvaluatedAt());
    }

    /** Forgets the state of a deleted repository. */
    public void forget(String repository) {
        store.commit(List.of(new Mutation.Delete(KIND, repository, Mutation.ANY)), Duration.ofSeconds(10));
    }
}
