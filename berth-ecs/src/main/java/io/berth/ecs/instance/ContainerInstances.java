package io.berth.ecs.instance;

import io.berth.core.arn.Account;
import io.berth.core.arn.Arn;
import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import io.berth.core.instance.ContainerInstance;
import io.berth.core.store.ConflictException;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.Versioned;
import io.berth.ecs.DecodedCache;
import io.berth.ecs.EcsJson;
import io.berth.ecs.cluster.Clusters;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Container instances in the store (kind {@value #KIND}, key {@code cluster/id}), their agent
 * tokens and their ARNs. Thread-safe.
 */
public final class ContainerInstances {
    public static final String KIND = "ecs-container-instance";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StateStore store;
    private final Account account;
    private final Clusters clusters;
    private final AgentPresence presence;

    public ContainerInstances(StateStore store, Account account, Clusters clusters, AgentPresence presence) {
        this.store = store;
        this.account = account;
        this.clusters = clusters;
        this.presence = presence;
    }

    public AgentPresence presence() {
        return presence;
    }

    public boolean connected(ContainerInstance instance) {
        return presence.connected(instance.key());
    }

    public String arn(ContainerInstance instance) {
        return arn(instance.cluster(), instance.id());
    }

    public String arn(String cluster, String id) {
        return account.arn("ecs", "container-instance/" + cluster + "/" + id).toString();
    }

    public Optional<ContainerInstance> find(String cluster, String id) {
        return store.get(KIND, cluster + "/" + id).map(v -> decode(v).instance());
    }

    /** The instance a request names (an id or an ARN) in {@code cluster}. */
    public Optional<ContainerInstance> resolve(String cluster, String idOrArn) {
        String id = idOrArn;
        if (idOrArn.startsWith("arn:")) {
            Optional<Arn> arn = Arn.parse(idOrArn);
            if (arn.isEmpty() || !"container-instance".equals(arn.get().resourceType())) {
                return Optional.empty();
            }
            String rest = arn.get().resourceId();
            int slash = rest.lastIndexOf('/');
            if (slash >= 0 && !rest.substring(0, slash).equals(cluster)) {
                return Optional.empty();
            }
            id = slash >= 0 ? rest.substring(slash + 1) : rest;
        }
        return find(cluster, id);
    }

    /** Registered (ACTIVE or DRAINING) instances of a cluster, in id order. */
    public List<ContainerInstance> registered(String cluster) {
        List<ContainerInstance> result = new ArrayList<>();
        for (ContainerInstance i : all(cluster)) {
            if (i.registered()) {
                result.add(i);
            }
        }
        return result;
    }

    /** An instance with the store version it was read at, for optimistic writes. */
    public record Stored(ContainerInstance instance, long storeVersion) {
    }

    /**
     * Decoded instances by the identity of the stored bytes they were read from:
     * the store hands out the array it was given until the value is replaced, so an instance is
     * decoded once per version, and not at all when this process wrote it ({@link #written}). Keyed
     * by the array, so pipelined writes of one instance and a failed write never collide.
     */
    private final DecodedCache decoded = new DecodedCache();

    private Stored decode(Versioned v) {
        ContainerInstance cached = decoded.get(v.value(), ContainerInstance.class);
        if (cached != null) {
            return new Stored(cached, v.version());
        }
        Stored fresh = new Stored(EcsJson.decode(v.value(), ContainerInstance.class), v.version());
        decoded.put(v.value(), fresh.instance());
        return fresh;
    }

    /** The instance {@code v} holds, decoded once per stored version (see {@link #written}). */
    public ContainerInstance decoded(Versioned v) {
        return decode(v).instance();
    }

    /**
     * Tells the decode cache what a writer is about to store: {@code bytes} (the array handed to the
     * store) encode {@code written}, so reads of them need not decode them again.
     */
    public void written(Stored written, byte[] bytes) {
        decoded.put(bytes, written.instance());
    }

    /** Registered instances with their store versions, in id order. */
    public List<Stored> registeredStored(String cluster) {
        List<Stored> result = new ArrayList<>();
        String after = null;
        while (true) {
            List<Versioned> batch = store.scan(KIND, cluster + "/", after, 1000);
            for (Versioned v : batch) {
                Stored s = decode(v);
                if (s.instance().registered()) {
                    result.add(s);
                }
            }
            if (batch.size() < 1000) {
                return result;
            }
            after = batch.get(batch.size() - 1).key();
        }
    }

    public Optional<Stored> stored(String cluster, String id) {
        return store.get(KIND, cluster + "/" + id).map(this::decode);
    }

    /** The registered instance with this {@code i-...} id, in any cluster (load balancer instance targets). */
    public Optional<ContainerInstance> byEc2InstanceId(String ec2InstanceId) {
        String after = null;
        while (true) {
            List<Versioned> batch = store.scan(KIND, "", after, 1000);
            for (Versioned v : batch) {
                ContainerInstance i = decode(v).instance();
                if (i.registered() && ec2InstanceId.equals(i.ec2InstanceId())) {
                    return Optional.of(i);
                }
            }
            if (batch.size() < 1000) {
                return Optional.empty();
            }
            after = batch.get(batch.size() - 1).key();
        }
    }

    public List<ContainerInstance> all(String cluster) {
        List<ContainerInstance> result = new ArrayList<>();
        String after = null;
        while (true) {
            List<Versioned> batch = store.scan(KIND, cluster + "/", after, 1000);
            for (Versioned v : batch) {
                result.add(decode(v).instance());
            }
            if (batch.size() < 1000) {
                return result;
            }
            after = batch.get(batch.size() - 1).key();
        }
    }

    /** A new token for an instance: names the instance, carries a secret; only its hash is stored. */
    public static String newToken(String cluster, String id) {
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString((cluster + "/" + id).getBytes(StandardCharsets.UTF_8))
                + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The registered instance a bearer token belongs to, if the token is valid. */
    public Optional<ContainerInstance> authenticate(String token) {
        if (token == null) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String key;
        try {
            key = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Optional<ContainerInstance> instance = store.get(KIND, key).map(v -> decode(v).instance());
        String expected = hash(token);
        return instance.filter(i -> i.registered() && i.tokenHash() != null
                && MessageDigest.isEqual(i.tokenHash().getBytes(StandardCharsets.US_ASCII),
                expected.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Creates an instance; its cluster must be ACTIVE (the default cluster is created on demand). */
    public ContainerInstance create(ContainerInstance instance) {
        if (Clusters.DEFAULT.equals(instance.cluster()) && clusters.find(Clusters.DEFAULT).filter(c -> c.active()).isEmpty()) {
            clusters.create(new io.berth.ecs.cluster.Cluster(Clusters.DEFAULT, io.berth.ecs.cluster.Cluster.Status.ACTIVE,
                    List.of(), null, List.of(), null, null, instance.registeredAt()), List.of());
        }
        clusters.active(instance.cluster());
        store.commit(List.of(Mutation.create(KIND, instance.key(), EcsJson.encode(instance))), TIMEOUT);
        return instance;
    }

    /** Applies {@code change} to the stored instance with optimistic concurrency, retrying on conflict. */
    public ContainerInstance update(String cluster, String id, UnaryOperator<ContainerInstance> change) {
        for (int attempt = 0; ; attempt++) {
            Versioned read = store.get(KIND, cluster + "/" + id).orElseThrow(() ->
                    new BerthException(ErrorCode.INVALID_PARAMETER, "The referenced container instance "
                            + arn(cluster, id) + " was not found."));
            ContainerInstance current = EcsJson.decode(read.value(), ContainerInstance.class);
            ContainerInstance next = change.apply(current);
            if (next == current) {
                return current;
            }
            try {
                store.commit(List.of(Mutation.update(read, EcsJson.encode(next))), TIMEOUT);
                return next;
            } catch (ConflictException e) {
                if (attempt > 16) {
                    throw e;
                }
            }
        }
    }

    public static String newId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public static String newEc2InstanceId() {
        byte[] b = new byte[9];
        RANDOM.nextBytes(b);
        return "i-" + HexFormat.of().formatHex(b).substring(0, 17);
    }

}
