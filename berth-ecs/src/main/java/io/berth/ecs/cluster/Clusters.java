package io.berth.ecs.cluster;

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
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Clusters: their lifecycle in the store. Names are unique per account; a deleted cluster stays
 * INACTIVE (describable, not listed) until a CreateCluster of the same name makes it ACTIVE again.
 * Thread-safe; concurrent writers are serialized by optimistic concurrency with retries.
 */
public final class Clusters {
    public static final String KIND = "ecs-cluster";
    public static final String DEFAULT = "default";
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,255}");
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
    private static final int RETRIES = 8;

    private final StateStore store;
    private final Account account;
    private final ClusterUsage usage;

    public Clusters(StateStore store, Account account, ClusterUsage usage) {
        this.store = store;
        this.account = account;
        this.usage = usage;
    }

    public String arn(String name) {
        return account.arn("ecs", "cluster/" + name).toString();
    }

    public ClusterUsage.Counts counts(String name) {
        return usage.counts(name);
    }

    /** The cluster name a request's {@code cluster} member names (a name or an ARN); default when absent. */
    public String nameOf(String nameOrArn) {
        if (nameOrArn == null || nameOrArn.isEmpty()) {
            return DEFAULT;
        }
        if (nameOrArn.startsWith("arn:")) {
            Optional<Arn> arn = Arn.parse(nameOrArn);
            if (arn.isEmpty() || !"ecs".equals(arn.get().service()) || !"cluster".equals(arn.get().resourceType())) {
                throw BerthException.invalidParameter("Invalid identifier: Unexpected ARN format: " + nameOrArn);
            }
            if (!account.accountId().equals(arn.get().account()) || !account.region().equals(arn.get().region())) {
                throw new BerthException(ErrorCode.CLUSTER_NOT_FOUND, "Cluster not found.");
            }
            return arn.get().resourceId();
        }
        return nameOrArn;
    }

    public Optional<Cluster> find(String name) {
        return store.get(KIND, name).map(v -> EcsJson.decode(v.value(), Cluster.class));
    }

    /** The ACTIVE cluster, or ClusterNotFoundException as ECS answers for a missing or deleted one. */
    public Cluster active(String nameOrArn) {
        String name = nameOf(nameOrArn);
        return find(name).filter(Cluster::active)
                .orElseThrow(() -> new BerthException(ErrorCode.CLUSTER_NOT_FOUND, "Cluster not found."));
    }

    public Cluster create(Cluster requested, List<Tag> tags) {
        if (!NAME.matcher(requested.name()).matches()) {
            throw BerthException.invalidParameter("Cluster name must be 1 to 255 characters: letters (uppercase and "
                    + "lowercase), numbers, hyphens, and underscores are allowed.");
        }
        for (int attempt = 0; ; attempt++) {
            Optional<Versioned> read = store.get(KIND, requested.name());
            Optional<Cluster> existing = read.map(v -> EcsJson.decode(v.value(), Cluster.class));
            if (existing.isPresent() && existing.get().active()) {
                return existing.get();
            }
            List<Mutation> tx = new ArrayList<>();
            tx.add(new Mutation.Put(KIND, requested.name(), read.map(Versioned::version).orElse(Mutation.ABSENT),
                    EcsJson.encode(requested)));
            String arn = arn(requested.name());
            tx.add(tags.isEmpty() ? Tags.remove(arn) : Tags.create(arn, tags).orElseThrow());
            try {
                store.commit(tx, COMMIT_TIMEOUT);
                return requested;
            } catch (ConflictException e) {
                if (attempt >= RETRIES) {
                    throw e;
                }
            }
        }
    }

    /** Applies {@code change} to the ACTIVE cluster and stores the result. */
    public Cluster update(String nameOrArn, UnaryOperator<Cluster> change) {
        String name = nameOf(nameOrArn);
        for (int attempt = 0; ; attempt++) {
            Versioned read = store.get(KIND, name)
                    .filter(v -> EcsJson.decode(v.value(), Cluster.class).active())
                    .orElseThrow(() -> new BerthException(ErrorCode.CLUSTER_NOT_FOUND, "Cluster not found."));
            Cluster updated = change.apply(EcsJson.decode(read.value(), Cluster.class));
            try {
                store.commit(List.of(Mutation.update(read, EcsJson.encode(updated))), COMMIT_TIMEOUT);
                return updated;
            } catch (ConflictException e) {
                if (attempt >= RETRIES) {
                    throw e;
                }
            }
        }
    }

    public Cluster delete(String nameOrArn) {
        String name = nameOf(nameOrArn);
        ClusterUsage.Counts counts = usage.counts(name);
        Cluster cluster = active(name);
        if (counts.activeServices() + counts.drainingServices() > 0) {
            throw new BerthException(ErrorCode.CLUSTER_CONTAINS_SERVICES,
                    "The Cluster cannot be deleted while Services are active.");
        }
        if (counts.registeredContainerInstances() > 0) {
            throw new BerthException(ErrorCode.CLUSTER_CONTAINS_CONTAINER_INSTANCES,
                    "The Cluster cannot be deleted while Container Instances are active or draining.");
        }
        if (counts.runningTasks() + counts.pendingTasks() > 0) {
            throw new BerthException(ErrorCode.CLUSTER_CONTAINS_TASKS,
                    "The Cluster cannot be deleted while Tasks are active.");
        }
        return update(cluster.name(), c -> c.withStatus(Cluster.Status.INACTIVE));
    }

    /** ACTIVE clusters in name order, after {@code afterName}, at most {@code limit}. */
    public List<Cluster> listActive(String afterName, int limit) {
        List<Cluster> page = new ArrayList<>(limit);
        String after = afterName;
        while (page.size() < limit) {
            List<Versioned> batch = store.scan(KIND, "", after, Math.max(limit * 2, 16));
            if (batch.isEmpty()) {
                break;
            }
            for (Versioned v : batch) {
                Cluster c = EcsJson.decode(v.value(), Cluster.class);
                if (c.active() && page.size() < limit) {
                    page.add(c);
                }
                after = v.key();
            }
        }
        return page;
    }

    /** Whether any ACTIVE cluster sorts after {@code name}. */
    public boolean moreAfter(String name) {
        return !listActive(name, 1).isEmpty();
    }
}
