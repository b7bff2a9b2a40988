package io.berth.ecs.task;

import io.berth.core.store.Change;
import io.berth.core.store.StateStore;
import io.berth.core.task.Task;
import io.berth.ecs.EcsJson;
import io.berth.ecs.instance.AgentPresence;
import io.berth.ecs.instance.ContainerInstances;
import io.berth.scheduler.placement.ClusterColumns;
import io.berth.scheduler.snapshot.InstanceLoad;
import io.berth.scheduler.snapshot.InstanceView;
import io.berth.scheduler.snapshot.TaskView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The registered instances of one cluster as placement sees them, kept between placements (the
 * hot read model of DESIGN.md): a view per instance in placement order, laid out as the engine's
 * {@link ClusterColumns}. An instance's load is what its live tasks hold ({@link LiveTasks}) plus
 * what this process placed on it and the store has not applied yet. Before each placement it
 * follows the store's change feed as far as the live tasks have: an instance whose record or whose
 * tasks changed is read again, the others are left as they are. A placement then reads ready-made
 * columns instead of scanning, checking and sorting every instance.
 *
 * <p>Agent presence is time-based, not in the store: each view remembers until when its agent is
 * known to be connected, and asks {@link AgentPresence} again only after that.
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
        /** Null when the instance or its tasks changed since it was made. */
        InstanceView view;
        final String key;
        Instant connectedUntil;
        /** Tasks this process placed here whose creation the feed has not shown yet, by id. */
        final Map<String, TaskView> pending = new LinkedHashMap<>();

        Entry(ContainerInstances.Stored stored) {
            this.stored = stored;
            this.key = stored.instance().key();
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
     * record as {@code tentative} gives it (this process's placements not yet applied win over
     * older stored versions), its tasks as {@code live} has them.
     */
    void refresh(StateStore store, ContainerInstances instances, LiveTasks live,
                 UnaryOperator<ContainerInstances.Stored> tentative) {
        long upTo = live.sync();
        if (loaded) {
            try {
                catchUp(store, instances, tentative, upTo);
                return;
            } catch (IllegalStateException e) {
                reset(); // fell behind the feed's retention: read everything again
            }
        }
        appliedSequence = upTo; // instance changes after it are read again: idempotent
        entries.clear();
        for (ContainerInstances.Stored s : instances.registeredStored(cluster)) {
            put(tentative.apply(s));
        }
        rearrange = true;
        loaded = true;
    }

    private void catchUp(StateStore store, ContainerInstances instances,
                         UnaryOperator<ContainerInstances.Stored> tentative, long upTo) {
        // changes after upTo wait for the next placement: the live tasks have not seen them yet
        appliedSequence = store.catchUp(appliedSequence, upTo, FEED_BATCH, c -> {
            if (c.key().startsWith(prefix)) {
                if (ContainerInstances.KIND.equals(c.kind())) {
                    instanceChanged(c, instances, tentative);
                } else if (Tasks.KIND.equals(c.kind()) && !c.deleted()) {
                    taskChanged(c);
                }
            }
        });
    }

    private void instanceChanged(Change c, ContainerInstances instances,
                                 UnaryOperator<ContainerInstances.Stored> tentative) {
        String id = c.key().substring(prefix.length());
        Entry known = entries.get(id);
        if (known != null && !c.deleted() && known.stored.storeVersion() >= c.version()) {
            return; // this process's own placement, already in the view
        }
        Optional<ContainerInstances.Stored> now = instances.stored(cluster, id);
        if (now.isPresent() && now.get().instance().registered()) {
            put(tentative.apply(now.get()));
        } else if (entries.remove(id) != null) {
            rearrange = true;
        }
    }

    /** A task of the cluster changed: its instance's load is made again; a creation ends its pending entry. */
    private void taskChanged(Change c) {
        Task task = EcsJson.decode(c.value(), Task.class);
        Entry e = entries.get(task.containerInstanceId());
        if (e != null) {
            e.view = null;
            if (c.version() == 1) {
                e.pending.remove(task.id());
            }
        }
    }

    /**
     * Records a placement this process just submitted: the instance record as written, and the
     * tasks placed on it, which count in its load until the feed shows their creation.
     */
    void placed(ContainerInstances.Stored written, List<TaskView> tasks) {
        Entry e = entries.get(written.instance().id());
        if (!loaded || e == null) {
            return;
        }
        put(written);
        tasks.forEach(t -> e.pending.put(t.id(), t));
        e.view = null;
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

    /** The view of a registered instance with its load (live and pending tasks), agent taken as connected. */
    Optional<InstanceView> view(String id, LiveTasks live) {
        Entry e = entries.get(id);
        return e == null ? Optional.empty() : Optional.of(new InstanceView(e.stored.instance(), true, load(e, live)));
    }

    /**
     * The registered instances, each with its agent's presence at {@code now}, in placement order,
     * as columns for the engine (kept between placements; only what changed is rewritten).
     */
    ClusterColumns columns(AgentPresence presence, Instant now, LiveTasks live) {
        if (rearrange) {
            arrange(live);
        }
        for (int i = 0; i < ordered.length; i++) {
            Entry e = ordered[i];
            boolean connected = e.connectedUntil != null && now.isBefore(e.connectedUntil);
            if (!connected) {
                e.connectedUntil = presence.connectedUntil(e.key);
                connected = e.connectedUntil != null && now.isBefore(e.connectedUntil);
            }
            if (e.view == null) {
                e.view = new InstanceView(e.stored.instance(), connected, load(e, live));
                columns.set(i, e.view);
            } else if (e.view.agentConnected() != connected) {
                e.view = e.view.withAgentConnected(connected);
                columns.set(i, e.view);
            }
        }
        return columns;
    }

    /** What the instance's live tasks hold, and the tasks this process placed there that they do not have yet. */
    private static InstanceLoad load(Entry e, LiveTasks live) {
        return live.loadAsSynced(e.stored.instance(), e.pending); // drops the pending ones live has
    }

    private void arrange(LiveTasks live) {
        List<Entry> all = new ArrayList<>(entries.values());
        for (Entry e : all) {
            if (e.view == null) {
                e.view = new InstanceView(e.stored.instance(), false, load(e, live));
            }
        }
        all.sort((a, b) -> InstanceView.PLACEMENT_ORDER.compare(a.view, b.view));
        ordered = all.toArray(new Entry[0]);
        columns = ClusterColumns.of(all.stream().map(e -> e.view).toList());
        rearrange = false;
    }
}
