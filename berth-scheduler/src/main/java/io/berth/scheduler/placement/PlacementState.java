package io.berth.scheduler.placement;

import io.berth.scheduler.placement.PlacementConstraint.DistinctInstance;
import io.berth.scheduler.placement.PlacementConstraint.MemberOf;
import io.berth.scheduler.placement.PlacementStrategy.Binpack;
import io.berth.scheduler.placement.PlacementStrategy.Spread;
import io.berth.scheduler.snapshot.InstanceView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cluster as one placement call changes it: what is left on each instance, how many tasks of
 * the group or service each instance and each spread value holds, and which instances can still
 * take a task. Instances are numbered in placement order (registration time, then id), so an
 * instance's number is also its final tie-breaker.
 *
 * <p>Placing a task on instance {@code i} changes the feasibility and per-instance keys of
 * {@code i} only, and the spread counts of {@code i}'s values; nothing else. The selectors rely on
 * that. Mutable, confined to one call.
 */
final class PlacementState {
    final int size;
    final InstanceView[] views;
    final boolean[] feasible;

    private final PlacementRequest request;
    private final TaskDemand demand;
    private final int[] cpuLeft;
    private final int[] memoryLeft;
    private final Set<Integer>[] tcp;
    private final Set<Integer>[] udp;

    private final int[] members;
    private final String[] fixedVeto;
    /** Per constraint, in request order: memberOf answers when they cannot change, else null. */
    private final boolean[][] memberOf;
    private final boolean dynamicQueries;
    /** Per spread-by-attribute level: the value number of each instance, and the tasks per value. */
    private final int[][] valueOf;
    private final int[][] tasksPerValue;
    private final Level[] levels;

    PlacementState(ClusterColumns columns, PlacementRequest request) {
        this.request = request;
        this.demand = request.demand();
        size = columns.size();
        cpuLeft = columns.cpuLeft().clone();
        memoryLeft = columns.memoryLeft().clone();
        tcp = demand.tcpPorts().isEmpty() ? null : columns.tcpPorts().clone(); // sets immutable: place() replaces
        udp = demand.udpPorts().isEmpty() ? null : columns.udpPorts().clone();
        members = columns.members(request.group()).clone();
        fixedVeto = columns.vetoes();

        List<PlacementConstraint> constraints = request.constraints();
        memberOf = new boolean[constraints.size()][];
        boolean dynamic = false;
        for (int c = 0; c < constraints.size(); c++) {
            if (constraints.get(c) instanceof MemberOf m) {
                if (m.query().dependsOnTasks()) {
                    dynamic = true;
                } else {
                    memberOf[c] = columns.matches(m.query());
                }
            }
        }
        dynamicQueries = dynamic;
        // the views change in a call only for queries that count tasks: copied then, else shared
        views = dynamic ? columns.views().clone() : columns.views();

        List<PlacementStrategy> strategies = request.effectiveStrategies();
        levels = new Level[strategies.size()];
        List<int[]> values = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        for (int s = 0; s < strategies.size(); s++) {
            PlacementStrategy strategy = strategies.get(s);
            levels[s] = switch (strategy) {
                case Binpack b -> new Level(b.resource() == PlacementStrategy.Resource.CPU ? Kind.CPU_LEFT
                        : Kind.MEMORY_LEFT, -1);
                case PlacementStrategy.Random r -> new Level(Kind.RANDOM, -1);
                case Spread sp when sp.attribute() == null -> new Level(Kind.TASKS_ON_INSTANCE, -1);
                case Spread sp -> {
                    ClusterColumns.Values column = columns.values(sp.attribute());
                    int[] valueNumbers = column.numberOf();
                    int distinct = column.values().size();
                    int[] perValue = new int[distinct];
                    for (int i = 0; i < size; i++) {
                        perValue[valueNumbers[i]] += members[i];
                    }
                    values.add(valueNumbers);
                    counts.add(perValue);
                    yield new Level(Kind.TASKS_WITH_VALUE, values.size() - 1);
                }
            };
        }
        valueOf = values.toArray(new int[0][]);
        tasksPerValue = counts.toArray(new int[0][]);

        feasible = new boolean[size];
        for (int i = 0; i < size; i++) {
            feasible[i] = veto(i) == null;
        }
    }

    /** What a strategy ranks by; lower is better. */
    enum Kind { CPU_LEFT, MEMORY_LEFT, TASKS_ON_INSTANCE, TASKS_WITH_VALUE, RANDOM }

    /** One strategy compiled against this state; {@code table} numbers the spread-by-attribute tables. */
    record Level(Kind kind, int table) {
        boolean perInstance() {
            return kind == Kind.CPU_LEFT || kind == Kind.MEMORY_LEFT || kind == Kind.TASKS_ON_INSTANCE;
        }
    }

    Level[] levels() {
        return levels.clone();
    }

    /** The key of instance {@code i} at {@code level} (not RANDOM): lower ranks first. */
    int key(Level level, int i) {
        return switch (level.kind) {
            case CPU_LEFT -> cpuLeft[i];
            case MEMORY_LEFT -> memoryLeft[i];
            case TASKS_ON_INSTANCE -> members[i];
            case TASKS_WITH_VALUE -> tasksPerValue[level.table][valueOf[level.table][i]];
            case RANDOM -> throw new IllegalStateException("a random level has no key");
        };
    }

    /** The spread value of instance {@code i} at a TASKS_WITH_VALUE level. */
    int value(Level level, int i) {
        return valueOf[level.table][i];
    }

    /** How many distinct values a TASKS_WITH_VALUE level has (numbered from 0). */
    int valueCount(Level level) {
        return tasksPerValue[level.table].length;
    }

    /** The count of a spread value at a TASKS_WITH_VALUE level. */
    int tasksWithValue(Level level, int value) {
        return tasksPerValue[level.table][value];
    }

    /**
     * Why instance {@code i} cannot take the next task, or null if it can. Checked in ECS's order:
     * the instance itself (ACTIVE, agent connected), resources (CPU, memory, TCP then UDP host
     * ports), then the constraints in the order given.
     */
    String veto(int i) {
        if (fixedVeto[i] != null) {
            return fixedVeto[i];
        }
        if (cpuLeft[i] < demand.cpu()) {
            return VetoReasons.CPU;
        }
        if (memoryLeft[i] < demand.memory()) {
            return VetoReasons.MEMORY;
        }
        if (tcp != null && clash(tcp[i], demand.tcpPorts())) {
            return VetoReasons.PORTS;
        }
        if (udp != null && clash(udp[i], demand.udpPorts())) {
            return VetoReasons.PORTS_UDP;
        }
        List<PlacementConstraint> constraints = request.constraints();
        for (int c = 0; c < constraints.size(); c++) {
            PlacementConstraint constraint = constraints.get(c);
            if (constraint instanceof DistinctInstance && members[i] > 0) {
                return VetoReasons.DISTINCT_INSTANCE;
            }
            if (constraint instanceof MemberOf m
                    && !(memberOf[c] != null ? memberOf[c][i] : m.query().matches(views[i]))) {
                return VetoReasons.MEMBER_OF;
            }
        }
        return null;
    }

    private static boolean clash(Set<Integer> used, List<Integer> wanted) {
        for (int port : wanted) {
            if (used.contains(port)) {
                return true;
            }
        }
        return false;
    }

    /** Gives instance {@code i} one more task: its resources, the counts, its feasibility. */
    void place(int i) {
        cpuLeft[i] -= demand.cpu();
        memoryLeft[i] -= demand.memory();
        if (tcp != null) {
            tcp[i] = with(tcp[i], demand.tcpPorts());
        }
        if (udp != null) {
            udp[i] = with(udp[i], demand.udpPorts());
        }
        members[i]++;
        for (int t = 0; t < valueOf.length; t++) {
            tasksPerValue[t][valueOf[t][i]]++;
        }
        if (dynamicQueries) {
            views[i] = views[i].withPendingTask(request.group());
        }
        feasible[i] = veto(i) == null;
    }

    private static Set<Integer> with(Set<Integer> used, List<Integer> more) {
        Set<Integer> next = new HashSet<>(used);
        next.addAll(more);
        return next;
    }

    String id(int i) {
        return views[i].id();
    }
}
