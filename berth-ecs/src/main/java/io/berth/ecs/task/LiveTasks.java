package io.berth.ecs.task;

import io.berth.core.store.StateStore;
import io.berth.core.store.Versioned;
import io.berth.core.instance.ContainerInstance;
import io.berth.core.task.Allocation;
import io.berth.core.task.Task;
import io.berth.ecs.EcsJson;
import io.berth.scheduler.snapshot.InstanceLoad;
import io.berth.scheduler.snapshot.TaskView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live (not STOPPED) tasks of every container instance, as placement, the agent channel and
 * DescribeContainerInstances need them: derived from the task records (each carries its
 * allocation), read whole at first use and then followed through the store's change feed. Every
 * read first catches up with the feed, so it sees each commit that returned before it. What an
 * instance has in use is what its live tasks hold; the instance record itself does not change when
 * a task comes or goes.
 *
 * <p>Thread-safe: one lock; its methods never call out while holding it but into the store.
 */
public final class LiveTasks {
    private static final int FEED_BATCH = 4096;
    private static final int SCAN_BATCH = 1000;

    private final StateStore store;
    /** Instance key (cluster/id) → task id → the task as placement sees it. */
    private final Map<String, Held> byInstance = new HashMap<>();
    /** Task key (cluster/id) → the key of its instance, for deletes (which carry no value). */
    private final Map<String, String> instanceOf = new HashMap<>();
    /** Cluster → live tasks {running, pending}, as DescribeClusters counts them. */
    private final Map<String, int[]> counts = new HashMap<>();
    private long applied;
    private boolean loaded;

    public LiveTasks(StateStore store) {
        this.store = store;
    }

    /** Catches up with the store; returns the sequence of the last change it has applied. */
    public synchronized long sync() {
        if (loaded) {
            try {
                catchUp();
                publishCounts();
                return applied;
            } catch (IllegalStateException e) {
                loaded = false; // behind the feed's retention: read every task again
            }
        }
        byInstance.clear();
        instanceOf.clear();
        counts.clear();
        applied = store.lastSequence();
        String after = null;
        while (true) {
            List<Versioned> batch = store.scan(Tasks.KIND, "", after, SCAN_BATCH);
            for (Versioned v : batch) {
                apply(v.key(), v.value(), v.version());
                after = v.key();
            }
            if (batch.size() < SCAN_BATCH) {
                break;
            }
        }
        loaded = true;
        catchUp(); // what committed during the scan (applied again: idempotent)
        publishCounts();
        return applied;
    }

    /** The counts as of {@code applied}, for readers that need not take the lock. */
    private record CountsView(long applied, Map<String, int[]> counts) {
    }

    private volatile CountsView countsView;

    private void publishCounts() {
        CountsView view = countsView;
        if (view != null && view.applied() == applied) {
            return;
        }
        Map<String, int[]> copy = new HashMap<>();
        counts.forEach((cluster, c) -> copy.put(cluster, c.clone()));
        countsView = new CountsView(applied, copy);
    }

    private void catchUp() {
        applied = store.catchUp(applied, store.lastSequence(), FEED_BATCH, c -> {
            if (Tasks.KIND.equals(c.kind())) {
                apply(c.key(), c.value(), c.version());
            }
        });
    }

    private void apply(String taskKey, byte[] value, long version) {
        Task task = value == null ? null : EcsJson.decode(value, Task.class);
        String cluster = taskKey.substring(0, taskKey.indexOf('/'));
        String taskId = taskKey.substring(taskKey.indexOf('/') + 1);
        if (task == null || task.stopped()) {
            String instance = instanceOf.remove(taskKey);
            if (instance != null) {
                Held held = byInstance.get(instance);
                if (held != null) {
                    count(cluster, held.remove(taskId), -1);
                    if (held.tasks.isEmpty()) {
                        byInstance.remove(instance);
                    }
                }
            }
            return;
        }
        String instance = task.cluster() + "/" + task.containerInstanceId();
        instanceOf.put(taskKey, instance);
        TaskView view = TaskView.of(task);
        Held held = byInstance.computeIfAbsent(instance, k -> new Held());
        count(cluster, held.put(view), -1);
        held.versions.put(task.id(), version);
        count(cluster, view, 1);
    }

    private void count(String cluster, TaskView task, int delta) {
        if (task != null) {
            counts.computeIfAbsent(cluster, k -> new int[2])[task.status().pending() ? 1 : 0] += delta;
        }
    }

    /** The cluster's live tasks: {@code [running, pending]} (running: started, not yet STOPPED). */
    public int[] counts(String cluster) {
        CountsView view = countsView;
        if (view == null || view.applied() < store.lastSequence()) { // behind: catch up (under the lock)
            synchronized (this) {
                sync();
                view = countsView;
            }
        }
        int[] c = view.counts().get(cluster);
        return c == null ? new int[2] : c.clone();
    }

    /** The live tasks of an instance (key cluster/id), in the order they were placed. */
    public synchronized List<TaskView> on(String instanceKey) {
        sync();
        Held held = byInstance.get(instanceKey);
        return held == null ? List.of() : new ArrayList<>(held.tasks.values());
    }

    /**
     * The ids of an instance's live tasks with their store versions, in the order they were placed:
     * enough for a reader that keeps what it made of each task version to skip reading the store.
     */
    public synchronized Map<String, Long> versionsOn(String instanceKey) {
        sync();
        Held held = byInstance.get(instanceKey);
        Map<String, Long> result = new LinkedHashMap<>();
        if (held != null) {
            held.tasks.keySet().forEach(id -> result.put(id, held.versions.get(id)));
        }
        return result;
    }

    /** What an instance's live tasks hold, caught up with the store. */
    public synchronized InstanceLoad load(ContainerInstance instance) {
        sync();
        return loadAsSynced(instance);
    }

    /**
     * What an instance's live tasks hold, without catching up first (for a caller that synced up
     * to where it needs): summed as tasks come and go, so this costs what the load's groups and
     * ports do, not what its tasks do.
     */
    synchronized InstanceLoad loadAsSynced(ContainerInstance instance) {
        return heldLoad(instance, byInstance.get(instance.key()));
    }

    private static InstanceLoad heldLoad(ContainerInstance instance, Held held) {
        return held == null ? InstanceLoad.of(instance, List.of()) : held.load(instance);
    }

    /**
     * As {@link #loadAsSynced(ContainerInstance)}, plus the tasks of {@code pending} (placed, not yet
     * seen on the feed) that the live tasks do not have yet; those they have are removed from
     * {@code pending}. One step under the lock: read apart, a sync by another thread in between
     * could move a task from pending to live after the load was read, and it would count nowhere.
     */
    synchronized InstanceLoad loadAsSynced(ContainerInstance instance, Map<String, TaskView> pending) {
        Held held = byInstance.get(instance.key());
        InstanceLoad load = heldLoad(instance, held);
        for (var it = pending.values().iterator(); it.hasNext(); ) {
            TaskView t = it.next();
            if (held != null && held.tasks.containsKey(t.id())) {
                it.remove(); // applied: counted in the live load
            } else {
                load = load.plus(t);
            }
        }
        return load;
    }

    /** Forgets everything (after a reset wiped the store); the next read reads the store again. */
    public synchronized void reset() {
        loaded = false;
        countsView = null;
        byInstance.clear();
        instanceOf.clear();
        counts.clear();
    }

    /** One instance's live tasks and what they hold together, kept as they come and go. */
    private static final class Held {
        final Map<String, TaskView> tasks = new LinkedHashMap<>();
        /** Each task's store version, as the feed last showed it. */
        final Map<String, Long> versions = new HashMap<>();
        final Map<String, Integer> groups = new HashMap<>();
        final Map<Integer, Integer> tcp = new HashMap<>();
        final Map<Integer, Integer> udp = new HashMap<>();
        int cpu;
        int memory;
        int running;

        /** Adds or replaces the task; returns the view it replaced, if any. */
        TaskView put(TaskView task) {
            TaskView before = tasks.put(task.id(), task);
            if (before != null) {
                add(before, -1);
            }
            add(task, 1);
            return before;
        }

        TaskView remove(String taskId) {
            versions.remove(taskId);
            TaskView before = tasks.remove(taskId);
            if (before != null) {
                add(before, -1);
            }
            return before;
        }

        private void add(TaskView t, int sign) {
            Allocation a = t.allocation();
            cpu += sign * a.cpu();
            memory += sign * a.memory();
            running += t.running() ? sign : 0;
            if (t.group() != null) {
                groups.merge(t.group(), sign, (x, y) -> x + y == 0 ? null : x + y);
            }
            a.tcpPorts().forEach(port -> tcp.merge(port, sign, (x, y) -> x + y == 0 ? null : x + y));
            a.udpPorts().forEach(port -> udp.merge(port, sign, (x, y) -> x + y == 0 ? null : x + y));
        }

        InstanceLoad load(ContainerInstance instance) {
            Set<Integer> tcpPorts = new HashSet<>(instance.reservedTcpPorts());
            tcpPorts.addAll(tcp.keySet());
            Set<Integer> udpPorts = new HashSet<>(instance.reservedUdpPorts());
            udpPorts.addAll(udp.keySet());
            return new InstanceLoad(cpu, memory, tcpPorts, udpPorts, groups, tasks.size(), running);
        }
    }

    @Override
    public synchronized String toString() {
        return "LiveTasks[" + instanceOf.size() + " live tasks on " + byInstance.size() + " instances, applied "
                + applied + "]";
    }
}
