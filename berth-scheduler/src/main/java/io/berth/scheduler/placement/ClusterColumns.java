package io.berth.scheduler.placement;

import io.berth.scheduler.query.ClusterQuery;
import io.berth.scheduler.snapshot.ClusterSnapshot;
import io.berth.scheduler.snapshot.InstanceView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A cluster's instances laid out by column, in placement order: what placement reads of every
 * instance on every call (resources left, whether it can take tasks at all, its tasks of a group,
 * its value of a spread attribute, its answer to a memberOf query that does not depend on tasks),
 * as arrays, so that a placement over thousands of instances is a few passes over arrays rather
 * than a walk through each instance's records.
 *
 * <p>Columns for a group, an attribute or a query are made the first time a placement asks for
 * them and kept (a bounded number of each); {@link #set} keeps every column current when one
 * instance changes. A model that lives between placements (a cluster's hot read model) owns one
 * and updates it; a one-off snapshot makes one per call.
 *
 * <p>Mutable and not thread-safe: its owner updates it and places with it under one lock. A
 * placement only reads it (the per-call state copies what it changes).
 */
public final class ClusterColumns {
    /** Per group, attribute or query: how many of each kind of column are kept. */
    private static final int KEPT = 64;

    private final InstanceView[] views;
    private final int[] cpuLeft;
    private final int[] memoryLeft;
    private final Set<Integer>[] tcpPorts;
    private final Set<Integer>[] udpPorts;
    private final String[] vetoes;
    private final Map<String, int[]> members = bounded();
    private final Map<String, Values> values = bounded();
    private final Map<String, Match> matches = bounded();

    /**
     * The spread values of one attribute: each instance's value number, and the values by number
     * (null: the attribute is absent).
     */
    public record Values(int[] numberOf, List<String> values, Map<String, Integer> numbers) {
        int number(String value) {
            Integer n = numbers.get(value);
            if (n == null) {
                n = values.size();
                values.add(value);
                numbers.put(value, n);
            }
            return n;
        }
    }

    private record Match(ClusterQuery query, boolean[] column) {
    }

    @SuppressWarnings("unchecked")
    private ClusterColumns(InstanceView[] views) {
        this.views = views;
        int n = views.length;
        cpuLeft = new int[n];
        memoryLeft = new int[n];
        tcpPorts = new Set[n];
        udpPorts = new Set[n];
        vetoes = new String[n];
        for (int i = 0; i < n; i++) {
            resources(i);
        }
    }

    /** Columns over {@code views}, which must be distinct and in {@link InstanceView#PLACEMENT_ORDER}. */
    public static ClusterColumns of(List<InstanceView> views) {
        return new ClusterColumns(views.toArray(new InstanceView[0]));
    }

    /** Columns over a snapshot's instances, put in placement order. */
    public static ClusterColumns of(ClusterSnapshot snapshot) {
        InstanceView[] views = snapshot.instances().toArray(new InstanceView[0]);
        for (int i = 1; i < views.length; i++) {
            if (InstanceView.PLACEMENT_ORDER.compare(views[i - 1], views[i]) > 0) {
                Arrays.sort(views, InstanceView.PLACEMENT_ORDER);
                break;
            }
        }
        return new ClusterColumns(views);
    }

    public int size() {
        return views.length;
    }

    public InstanceView view(int i) {
        return views[i];
    }

    /** Replaces instance {@code i} (the same instance, changed) and every kept column's entry for it. */
    public void set(int i, InstanceView view) {
        if (!views[i].id().equals(view.id())) {
            throw new IllegalArgumentException("instance " + i + " is " + views[i].id() + ", not " + view.id());
        }
        views[i] = view;
        resources(i);
        members.forEach((group, column) -> column[i] = view.load().live(group));
        values.forEach((attribute, column) -> column.numberOf[i] = column.number(view.instance().attribute(attribute)));
        matches.forEach((canonical, match) -> match.column[i] = match.query.matches(view));
    }

    private void resources(int i) {
        InstanceView v = views[i];
        cpuLeft[i] = v.instance().cpu() - v.load().cpu();
        memoryLeft[i] = v.instance().memory() - v.load().memory();
        tcpPorts[i] = v.load().tcpPorts();
        udpPorts[i] = v.load().udpPorts();
        vetoes[i] = !v.instance().active() ? VetoReasons.INACTIVE : !v.agentConnected() ? VetoReasons.AGENT : null;
    }

    // the columns themselves, for the per-call state: it copies those it changes

    InstanceView[] views() {
        return views;
    }

    int[] cpuLeft() {
        return cpuLeft;
    }

    int[] memoryLeft() {
        return memoryLeft;
    }

    Set<Integer>[] tcpPorts() {
        return tcpPorts;
    }

    Set<Integer>[] udpPorts() {
        return udpPorts;
    }

    /** Why each instance can take no task whatever the task (INACTIVE, AGENT), or null. */
    String[] vetoes() {
        return vetoes;
    }

    /** MiB of memory left on instance {@code i}. */
    public int memoryLeft(int i) {
        return memoryLeft[i];
    }

    /** Live tasks of {@code group} per instance. Read-only for the caller. */
    public int[] members(String group) {
        int[] column = members.get(group);
        if (column == null) {
            column = new int[views.length];
            for (int i = 0; i < views.length; i++) {
                column[i] = views[i].load().live(group);
            }
            members.put(group, column);
        }
        return column;
    }

    /** The values of {@code attribute}, numbered in order of first appearance. Read-only for the caller. */
    public Values values(String attribute) {
        Values column = values.get(attribute);
        if (column == null) {
            column = new Values(new int[views.length], new ArrayList<>(), new HashMap<>());
            for (int i = 0; i < views.length; i++) {
                column.numberOf[i] = column.number(views[i].instance().attribute(attribute));
            }
            values.put(attribute, column);
        }
        return column;
    }

    /** Each instance's answer to {@code query}, which must not depend on tasks. Read-only for the caller. */
    public boolean[] matches(ClusterQuery query) {
        if (query.dependsOnTasks()) {
            throw new IllegalArgumentException("the answer to " + query + " changes with the tasks placed");
        }
        Match match = matches.get(query.canonical());
        if (match == null) {
            match = new Match(query, new boolean[views.length]);
            for (int i = 0; i < views.length; i++) {
                match.column[i] = query.matches(views[i]);
            }
            matches.put(query.canonical(), match);
        }
        return match.column;
    }

    private static <V> Map<String, V> bounded() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > KEPT;
            }
        };
    }

    @Override
    public String toString() {
        return "ClusterColumns[" + views.length + " instances, groups " + members.keySet() + ", attributes "
                + values.keySet() + ", queries " + matches.keySet() + "]";
    }
}
