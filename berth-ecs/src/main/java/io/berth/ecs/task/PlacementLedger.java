package io.berth.ecs.task;

import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.ecs.instance.ContainerInstances;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The placements of one cluster that this process submitted and has not yet seen in the store, so
 * that the next placement can be computed, and submitted, before the last one is durable.
 *
 * <p>Each placement transaction also bumps the cluster's placement epoch (kind {@value #EPOCH_KIND})
 * from the version the ledger expects. That chains the transactions: if one fails (another writer
 * changed one of its instances first), every later one fails too instead of committing on top of
 * allocations that never happened; the ledger is then dirty, and the next placement waits for what
 * is in flight and starts over from the store.
 *
 * <p>Not thread-safe: used under the cluster's placement lock, except {@link #markDirty}.
 */
final class PlacementLedger {
    static final String EPOCH_KIND = "ecs-placement-epoch";

    private final String cluster;
    private final ClusterView instances;
    private final Map<String, ContainerInstances.Stored> placed = new HashMap<>();
    private long epochVersion = Long.MIN_VALUE; // the epoch's version once the last submission applies
    private StateStore.Pending last;
    private volatile boolean dirty;

    PlacementLedger(String cluster) {
        this.cluster = cluster;
        this.instances = new ClusterView(cluster);
    }

    /** The cluster's registered instances as placement sees them, kept between placements. */
    ClusterView instances() {
        return instances;
    }

    /** Called by a placement whose transaction failed, or whose outcome is unknown. */
    void markDirty() {
        dirty = true;
    }

    /** Before placing: if a submission failed, waits for the rest and forgets everything. */
    void settle() {
        if (!dirty) {
            return;
        }
        if (last != null) {
            try {
                last.await();
            } catch (RuntimeException ignored) {
                // it failed as well, or its fate is unknown: the store is read afresh either way
            }
        }
        placed.clear();
        instances.reset();
        epochVersion = Long.MIN_VALUE;
        last = null;
        dirty = false;
    }

    /**
     * An instance as the next placement must see it: as this process last placed on it, if that is
     * newer than the store's, else as stored.
     */
    ContainerInstances.Stored view(ContainerInstances.Stored stored) {
        ContainerInstances.Stored mine = placed.get(stored.instance().id());
        if (mine == null) {
            return stored;
        }
        if (mine.storeVersion() > stored.storeVersion()) {
            return mine;
        }
        placed.remove(stored.instance().id()); // applied (or overtaken: then the chain fails and resets)
        return stored;
    }

    /** The epoch bump to add to a placement transaction. */
    Mutation epochMutation(StateStore store) {
        if (epochVersion == Long.MIN_VALUE) {
            epochVersion = store.get(EPOCH_KIND, cluster).map(v -> v.version()).orElse(Mutation.ABSENT);
        }
        return new Mutation.Put(EPOCH_KIND, cluster, epochVersion,
                Long.toString(epochVersion + 1).getBytes(StandardCharsets.US_ASCII));
    }

    /** An instance a placement wrote, at the version it will have, and the tasks it placed there. */
    record Placement(ContainerInstances.Stored written, List<io.berth.scheduler.snapshot.TaskView> tasks) {
    }

    /** Records a submitted placement: the instances it rewrote and the tasks it placed on them. */
    void submitted(List<Placement> placements, StateStore.Pending pending) {
        for (Placement p : placements) {
            placed.put(p.written().instance().id(), p.written());
            this.instances.placed(p.written(), p.tasks());
        }
        epochVersion++;
        last = pending;
    }
}
