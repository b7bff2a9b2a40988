package io.berth.registry.repository;

import io.berth.core.arn.Account;
import io.berth.core.store.ConflictException;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.Versioned;
import io.berth.registry.DecodedCache;
import io.berth.registry.RegistryJson;
import io.berth.registry.error.RegistryError;
import io.berth.registry.error.RegistryException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Repositories in the store (kind {@value #KIND}, key: the name). Thread-safe; writers are
 * serialized by optimistic concurrency with retries.
 */
public final class Repositories {
    public static final String KIND = "ecr-repository";
    static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
    private static final int RETRIES = 8;

    private final StateStore store;
    private final Account account;
    private final Supplier<String> registryHost;

    public Repositories(StateStore store, Account account, String registryHost) {
        this(store, account, () -> registryHost);
    }

    /** {@code registryHost} is asked each time a URI is made (the port may be known only after start). */
    public Repositories(StateStore store, Account account, Supplier<String> registryHost) {
        this.store = store;
        this.account = account;
        this.registryHost = registryHost;
    }

    public String registryId() {
        return account.accountId();
    }

    public String arn(String name) {
        return account.arn("ecr", "repository/" + name).toString();
    }

    public String registryHost() {
        return registryHost.get();
    }

    public String uri(String name) {
        return registryHost.get() + "/" + name;
    }

    public Optional<Repository> find(String name) {
        return store.get(KIND, name).map(decoded::decode);
    }

    /** Every registry request reads its repository: each stored value is decoded once. */
    private final DecodedCache<Repository> decoded = new DecodedCache<>(Repository.class, 10_000);

    /** The repository, or REPOSITORY_NOT_FOUND in ECR's words. */
    public Repository require(String name) {
        return find(name).orElseThrow(() -> notFound(name));
    }

    public RegistryException notFound(String name) {
        return new RegistryException(RegistryError.REPOSITORY_NOT_FOUND, "The repository with name '" + name
                + "' does not exist in the registry with id '" + registryId() + "'");
    }

    public Repository create(Repository repository) {
        if (!RepositoryNames.valid(repository.name())) {
            throw new RegistryException(RegistryError.NAME_INVALID, "Invalid parameter at 'repositoryName' failed to "
                    + "satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*"
                    + "[a-z0-9]+(?:[._-][a-z0-9]+)*''");
        }
        try {
            store.commit(List.of(Mutation.create(KIND, repository.name(), RegistryJson.encode(repository))),
                    COMMIT_TIMEOUT);
            return repository;
        } catch (ConflictException e) {
            throw new RegistryException(RegistryError.REPOSITORY_ALREADY_EXISTS, "The repository with name '"
                    + repository.name() + "' already exists in the registry with id '" + registryId() + "'");
        }
    }

    /** Applies {@code change} to the repository and stores the result. */
    public Repository update(String name, UnaryOperator<Repository> change) {
        for (int attempt = 0; ; attempt++) {
            Versioned read = store.get(KIND, name).orElseThrow(() -> notFound(name));
            Repository updated = change.apply(RegistryJson.decode(read.value(), Repository.class));
            try {
                store.commit(List.of(Mutation.update(read, RegistryJson.encode(updated))), COMMIT_TIMEOUT);
                return updated;
            } catch (ConflictException e) {
                if (attempt >= RETRIES) {
                    throw e;
                }
            }
        }
    }

    /** Removes the repository record (its contents are the callers' to remove); returns what it was. */
    public Repository remove(String name) {
        for (int attempt = 0; ; attempt++) {
            Versioned read = store.get(KIND, name).orElseThrow(() -> notFound(name));
            try {
                store.commit(List.of(Mutation.delete(read)), COMMIT_TIMEOUT);
                return RegistryJson.decode(read.value(), Repository.class);
            } catch (ConflictException e) {
                if (attempt >= RETRIES) {
                    throw e;
                }
            }
        }
    }

    /** Repositories in name order after {@code afterName} (null: from the first), at most {@code limit}. */
    public List<Repository> list(String afterName, int limit) {
        List<Repository> page = new ArrayList<>();
        for (Versioned v : store.scan(KIND, "", afterName, limit)) {
            page.add(RegistryJson.decode(v.value(), Repository.class));
        }
        return page;
    }
}
