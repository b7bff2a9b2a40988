package io.berth.scheduler.placement;

import io.berth.core.instance.ContainerInstance;
import io.berth.core.task.TaskStatus;
import io.berth.scheduler.placement.PlacementConstraint.DistinctInstance;
import io.berth.scheduler.placement.PlacementConstraint.MemberOf;
import io.berth.scheduler.placement.PlacementStrategy.Binpack;
import io.berth.scheduler.placement.PlacementStrategy.Spread;
import io.berth.scheduler.query.ClusterQuery;
import io.berth.scheduler.snapshot.ClusterSnapshot;
import io.berth.scheduler.snapshot.InstanceView;
import io.berth.scheduler.snapshot.TaskView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private int placed;

    @SuppressWarnings("unchecked")
    PlacementState(ClusterSnapshot snapshot, PlacementRequest request) {
        this.request = request;
        this.demand = request.demand();
        List<InstanceView> ordered = new ArrayList<>(snapshot.instances());
        ordered.sort(Comparator.comparing((InstanceView v) -> v.instance().registeredAt(),
                Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(InstanceView::id));
        size = ordered.size();
        views = ordered.toArray(new InstanceView[0]);
        cpuLeft = new int[size];
        memoryLeft = new int[size];
        tcp = demand.tcpPorts().isEmpty() ? null : new Set[size];
        udp = demand.udpPorts().isEmpty() ? null : new Set[size];
        members = new int[size];
        fixedVeto = new String[size];
        for (int i = 0; i < size; i++) {
            ContainerInstance instance = views[i].instance();
            cpuLeft[i] = instance.cpu() - instance.usedCpu();
            memoryLeft[i] = instance.memory() - instance.usedMemory();
            if (tcp != null) {
                tcp[i] = instance.usedTcpPorts();
            }
            if (udp != null) {
                udp[i] = instance.usedUdpPorts();
            }
            for (TaskView t : views[i].tasks()) {
                if (t.live() && request.sameSet(t)) {
                    members[i]++;
                }
            }
            fixedVeto[i] = !instance.active() ? VetoReasons.INACTIVE
                    : !views[i].agentConnected() ? VetoReasons.AGENT : null;
        }

        List<PlacementConstraint> constraints = request.constraints();
        memberOf = new boolean[constraints.size()][];
        boolean dynamic = false;
        for (int c = 0; c < constraints.size(); c++) {
            if (constraints.get(c) instanceof MemberOf m) {
                if (m.query().dependsOnTasks()) {
                    dynamic = true;
                } else {
                    memberOf[c] = new boolean[size];
                    for (int i = 0; i < size; i++) {
                        memberOf[c][i] = m.query().matches(views[i]);
                    }
                }
            }
        }
        dynamicQueries = dynamic;

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
                    int[] valueNumbers = new int[size];
                    Map<String, Integer> numbers = new HashMap<>();
                    for (int i = 0; i < size; i++) {
                        String v = views[i].instance().attribute(sp.attribute());
                        valueNumbers[i] = numbers.computeIfAbsent(v == null ? "\0absent" : "=" + v,
                                k -> numbers.size());
                    }
                    int[] perValue = new int[numbers.size()];
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
            tcp[i].addAll(demand.tcpPorts());
        }
        if (udp != null) {
            udp[i].addAll(demand.udpPorts());
        }
        members[i]++;
        for (int t = 0; t < valueOf.length; t++) {
            tasksPerValue[t][valueOf[t][i]]++;
        }
        placed++;
        if (dynamicQueries) {
            views[i] = views[i].withTask(new TaskView("placed-" + placed, request.group(), null,
                    request.serviceName(), TaskStatus.PENDING));
        }
        feasible[i] = veto(i) == null;
    }

    String id(int i) {
        return views[i].id();
    }
}
