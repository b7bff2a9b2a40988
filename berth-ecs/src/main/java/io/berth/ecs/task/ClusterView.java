package io.berth.ecs.task;

import io.berth.core.store.Change;
import io.berth.core.store.StateStore;
import io.berth.ecs.instance.AgentPresence;
import io.berth.ecs.instance.ContainerInstances;
import io.berth.scheduler.placement.ClusterColumns;
import io.berth.scheduler.snapshot.InstanceView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The registered instances of one cluster as placement sees them, kept between placements (the
 * hot read model of DESIGN.md): a view per instance in placement order, brought up to date before
 * each placement from the store's change feed (only the instances that changed are read again)
 * and from this process's own placements as they are submitted, and laid out as the engine's
 * {@link ClusterColumns}. A placement then reads ready-made columns instead of scanning, checking
 * and sorting every instance.
 *
 * <p>Agent presence changes with time, not with the store: each view remembers until when its
 * agent is known to be connected, and asks {@link AgentPresence} again only after that.
 *
 * <p>Not thread-safe: used under the cluster's placement turn (see {@link PlacementLedger}).
 */
final class ClusterView {
    private static final int FEED_BATCH = 4096;

    private final String cluster;
    private final String prefix;
    /** The instances by id, in placement order once {@link #arrange} ran. */
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private Entry[] ordered = new Entry[0];
    private ClusterColumns columns = ClusterColumns.of(List.of());
    private boolean loaded;
    private boolean rearrange;
    private long appliedSequence;

    private static final class Entry {
        ContainerInstances.Stored stored;
        InstanceView view;
        final String presenceKey;
        Instant connectedUntil;

        Entry(ContainerInstances.Stored stored) {
            this.stored = stored;
            this.presenceKey = stored.instance().key();
        }
    }

    ClusterView(String cluster) {
        this.cluster = cluster;
        this.prefix = cluster + "/";
    }

    /** Forgets everything: the next {@link #refresh} reads the cluster's instances afresh. */
    void reset() {
        loaded = false;
        entries.clear();
        ordered = new Entry[0];
        columns = ClusterColumns.of(List.of());
    }

    /**
     * Brings the views up to date with the store: every registered instance of the cluster, each
     * as {@code tentative} gives it (this process's placements not yet applied win over older
     * stored versions).
     */
    void refresh(StateStore store, ContainerInstances instances, UnaryOperator<ContainerInstances.Stored> tentative) {
        if (loaded) {
            try {
                catchUp(store, instances, tentative);
                return;
            } catch (IllegalStateException e) {
                reset(); // fell behind the feed's retention: read everything again
            }
        }
        appliedSequence = store.lastSequence();
        entries.clear();
        for (ContainerInstances.Stored s : instances.registeredStored(cluster)) {
            put(tentative.apply(s));
        }
        rearrange = true;
        loaded = true;
    }

    private void catchUp(StateStore store, ContainerInstances instances,
                         UnaryOperator<ContainerInstances.Stored> tentative) {
        long last = store.lastSequence();
        while (appliedSequence < last) {
            List<Change> changes = store.changesSince(appliedSequence, FEED_BATCH);
            if (changes.isEmpty()) {
                appliedSequence = last; // wiped: nothing is left to read up to there
                return;
            }
            for (Change c : changes) {
                if (ContainerInstances.KIND.equals(c.kind()) && c.key().startsWith(prefix)) {
                    String id = c.key().substring(prefix.length());
                    Entry known = entries.get(id);
                    if (known != null && !c.deleted() && known.stored.storeVersion() >= c.version()) {
                        appliedSequence = c.sequence(); // this process's own placement, already in the view
                        continue;
                    }
                    Optional<ContainerInstances.Stored> now = instances.stored(cluster, id);
                    if (now.isPresent() && now.get().instance().registered()) {
                        put(tentative.apply(now.get()));
                    } else if (entries.remove(id) != null) {
                        rearrange = true;
                    }
                }
                appliedSequence = c.sequence();
            }
        }
    }

    /** Records an instance as this process just wrote it (a submitted placement). */
    void placed(ContainerInstances.Stored written) {
        if (loaded && written.instance().registered()) {
            put(written);
        }
    }

    private void put(ContainerInstances.Stored s) {
        Entry e = entries.get(s.instance().id());
        if (e == null) {
            entries.put(s.instance().id(), new Entry(s));
            rearrange = true;
        } else if (s.storeVersion() >= e.stored.storeVersion() && s != e.stored) {
            e.stored = s;
            e.view = null;
        }
    }

    /** The instance as the views have it, if registered. */
    ContainerInstances.Stored stored(String id) {
        Entry e = entries.get(id);
        return e == null ? null : e.stored;
    }

    /**
     * The registered instances, each with its agent's presence at {@code now}, in placement order,
     * as columns for the engine (kept between placements; only what changed is rewritten).
     */
    ClusterColumns columns(AgentPresence presence, Instant now) {
        if (rearrange) {
            arrange();
        }
        for (int i = 0; i < ordered.length; i++) {
            Entry e = ordered[i];
            boolean connected = e.connectedUntil != null && now.isBefore(e.connectedUntil);
            if (!connected) {
                e.connectedUntil = presence.connectedUntil(e.presenceKey);
                connected = e.connectedUntil != null && now.isBefore(e.connectedUntil);
            }
            if (e.view == null) {
                e.view = new InstanceView(e.stored.instance(), connected, e.stored.load());
                columns.set(i, e.view);
            } else if (e.view.agentConnected() != connected) {
                e.view = e.view.withAgentConnected(connected);
                columns.set(i, e.view);
            }
        }
        return columns;
    }

    private void arrange() {
        List<Entry> all = new ArrayList<>(entries.values());
        for (Entry e : all) {
            if (e.view == null) {
                e.view = new InstanceView(e.stored.instance(), false, e.stored.load());
            }
        }
        all.sort((a, b) -> InstanceView.PLACEMENT_ORDER.compare(a.view, b.view));
        ordered = all.toArray(new Entry[0]);
        columns = ClusterColumns.of(all.stream().map(e -> e.view).toList());
        rearrange = false;
    }
}
