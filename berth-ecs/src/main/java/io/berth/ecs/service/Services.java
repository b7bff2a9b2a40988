package io.berth.ecs.service;

import io.berth.core.arn.Account;
import io.berth.core.arn.Arn;
import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import io.berth.core.store.ConflictException;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.Versioned;
import io.berth.ecs.EcsJson;
import io.berth.ecs.tag.Tag;
import io.berth.ecs.tag.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Services in the store (kind {@value #KIND}, key {@code cluster/name}) and their ARNs
 * ({@code arn:aws:ecs:region:account:service/cluster/name}). Thread-safe; writers are serialized by
 * optimistic concurrency with retries.
 */
public final class Services {
    public static final String KIND = "ecs-service";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int RETRIES = 16;

    private final StateStore store;
    private final Account account;

    public Services(StateStore store, Account account) {
        this.store = store;
        this.account = account;
    }

    public Account account() {
        return account;
    }

    public String arn(String cluster, String name) {
        return account.arn("ecs", "service/" + cluster + "/" + name).toString();
    }

    public String arn(Service s) {
        return arn(s.cluster(), s.name());
    }

    /** A new deployment id: {@code ecs-svc/} and 19 digits, as ECS makes them. */
    static String newDeploymentId() {
        return "ecs-svc/" + (1_000_000_000_000_000_000L + ThreadLocalRandom.current().nextLong(8_000_000_000_000_000_000L));
    }

    /**
     * The service name a request's {@code service} member names in {@code cluster}: a name, or an
     * ARN (new format {@code service/cluster/name} or old {@code service/name}); empty for an ARN of
     * another cluster, account or region.
     */
    public Optional<String> nameOf(String cluster, String nameOrArn) {
        if (!nameOrArn.startsWith("arn:")) {
            return Optional.of(nameOrArn);
        }
        Optional<Arn> arn = Arn.parse(nameOrArn);
        if (arn.isEmpty() || !"ecs".equals(arn.get().service()) || !"service".equals(arn.get().resourceType())
                || !account.accountId().equals(arn.get().account()) || !account.region().equals(arn.get().region())) {
            return Optional.empty();
        }
        String rest = arn.get().resourceId();
        int slash = rest.lastIndexOf('/');
        if (slash >= 0 && !rest.substring(0, slash).equals(cluster)) {
            return Optional.empty();
        }
        return Optional.of(slash >= 0 ? rest.substring(slash + 1) : rest);
    }

    public Optional<Service> find(String cluster, String name) {
        return store.get(KIND, cluster + "/" + name).map(Services::decode);
    }

    /** The service a request names, or ServiceNotFoundException. */
    public Service require(String cluster, String nameOrArn) {
        return nameOf(cluster, nameOrArn).flatMap(n -> find(cluster, n)).orElseThrow(Services::notFound);
    }

    /** The service an ARN names (for the tagging operations). */
    public Optional<Service> findByArn(Arn arn) {
        String rest = arn.resourceId();
        int slash = rest.lastIndexOf('/');
        return slash < 0 ? Optional.empty() : find(rest.substring(0, slash), rest.substring(slash + 1));
    }

    static BerthException notFound() {
        return new BerthException(ErrorCode.SERVICE_NOT_FOUND, "Service not found.");
    }

    static Service decode(Versioned v) {
        return EcsJson.decode(v.value(), Service.class);
    }

    /**
     * Stores a new service with its tags. A name taken by an ACTIVE or DRAINING service is refused,
     * unless the same client token made it (then that service is returned); an INACTIVE one is
     * replaced.
     */
    public Service create(Service service, List<Tag> tags) {
        for (int attempt = 0; ; attempt++) {
            Optional<Versioned> read = store.get(KIND, service.key());
            if (read.isPresent()) {
                Service existing = decode(read.get());
                if (existing.status() != Service.Status.INACTIVE) {
                    if (service.clientToken() != null && service.clientToken().equals(existing.clientToken())) {
                        return existing;
                    }
                    throw BerthException.invalidParameter("Creation of service was not idempotent.");
                }
            }
            List<Mutation> tx = new ArrayList<>();
            tx.add(new Mutation.Put(KIND, service.key(), read.map(Versioned::version).orElse(Mutation.ABSENT),
                    EcsJson.encode(service)));
            String arn = arn(service);
            tx.add(tags.isEmpty() ? Tags.remove(arn) : Tags.create(arn, tags).orElseThrow());
            try {
                store.commit(tx, TIMEOUT);
                return service;
            } catch (ConflictException e) {
                if (attempt >= RETRIES) {
                    throw e;
                }
            }
        }
    }

    /**
     * Applies {@code change} to the stored service (ServiceNotFoundException when there is none)
     * with optimistic concurrency, retrying on conflict; the change may run more than once.
     */
    public Service update(String cluster, String name, UnaryOperator<Service> change) {
        for (int attempt = 0; ; attempt++) {
            Versioned read = store.get(KIND, cluster + "/" + name).orElseThrow(Services::notFound);
            Service current = decode(read);
            Service next = change.apply(current);
            if (next.equals(current)) {
                return current;
            }
            try {
                store.commit(List.of(Mutation.update(read, EcsJson.encode(next))), TIMEOUT);
                return next;
            } catch (ConflictException e) {
                if (attempt >= RETRIES) {
                    throw e;
                }
            }
        }
    }

    /** Writes {@code next} over the version that was read; false if someone wrote in between. */
    boolean replace(Versioned read, Service next) {
        try {
            store.commit(List.of(Mutation.update(read, EcsJson.encode(next))), TIMEOUT);
            return true;
        } catch (ConflictException e) {
            return false;
        }
    }

    Optional<Versioned> read(String cluster, String name) {
        return store.get(KIND, cluster + "/" + name);
    }

    /** Services of a cluster in name order after {@code afterName}, those {@code filter} accepts. */
    public List<Service> list(String cluster, Predicate<Service> filter, String afterName, int limit) {
        List<Service> page = new ArrayList<>();
        String after = afterName == null ? null : cluster + "/" + afterName;
        while (page.size() < limit) {
            List<Versioned> batch = store.scan(KIND, cluster + "/", after, 500);
            for (Versioned v : batch) {
                Service s = decode(v);
                if (filter.test(s) && page.size() < limit) {
                    page.add(s);
                }
                after = v.key();
            }
            if (batch.size() < 500) {
                break;
            }
        }
        return page;
    }

    /** Every service the scheduler looks after (ACTIVE or DRAINING), with the version read. */
    List<Versioned> scheduled() {
        List<Versioned> result = new ArrayList<>();
        String after = null;
        while (true) {
            List<Versioned> batch = store.scan(KIND, "", after, 500);
            for (Versioned v : batch) {
                Service s = decode(v);
                if (s.status() != Service.Status.INACTIVE) {
                    result.add(v);
                }
                after = v.key();
            }
            if (batch.size() < 500) {
                return result;
            }
        }
    }
}
