package io.berth.scheduler.snapshot;

import io.berth.core.instance.ContainerInstance;
import io.berth.core.task.Allocation;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an instance holds, summed once so that a placement reads it in O(1): CPU units and MiB in
 * use, host ports in use (reserved ones included), and its live (not STOPPED) tasks counted by task
 * group, which is what spread, distinctInstance, {@code task:group} and {@code runningTasksCount}
 * need. Immutable.
 *
 * @param liveByGroup live tasks per task group ({@code family:NAME}, {@code service:NAME}, or a
 *     RunTask group); tasks without a group count only in {@code liveTasks}
 * @param runningTasks live tasks that have started (DescribeContainerInstances' runningTasksCount)
 */
public record InstanceLoad(int cpu, int memory, Set<Integer> tcpPorts, Set<Integer> udpPorts,
                           Map<String, Integer> liveByGroup, int liveTasks, int runningTasks) {
    public InstanceLoad {
        tcpPorts = Set.copyOf(tcpPorts);
        udpPorts = Set.copyOf(udpPorts);
        liveByGroup = Map.copyOf(liveByGroup);
    }

    /**
     * The load of {@code instance} with these tasks on it: resources from the live tasks'
     * allocations (and the instance's reserved ports), counts from their groups; STOPPED ones are
     * ignored.
     */
    public static InstanceLoad of(ContainerInstance instance, List<TaskView> tasks) {
        Map<String, Integer> groups = new HashMap<>();
        int live = 0;
        int running = 0;
        int cpu = 0;
        int memory = 0;
        Set<Integer> tcp = new HashSet<>(instance.reservedTcpPorts());
        Set<Integer> udp = new HashSet<>(instance.reservedUdpPorts());
        for (TaskView t : tasks) {
            if (!t.live()) {
                continue;
            }
            live++;
            if (t.running()) {
                running++;
            }
            if (t.group() != null) {
                groups.merge(t.group(), 1, Integer::sum);
            }
            Allocation a = t.allocation();
            cpu += a.cpu();
            memory += a.memory();
            tcp.addAll(a.tcpPorts());
            udp.addAll(a.udpPorts());
        }
        return new InstanceLoad(cpu, memory, tcp, udp, groups, live, running);
    }

    /** Live tasks of {@code group} on the instance. */
    public int live(String group) {
        return liveByGroup.getOrDefault(group, 0);
    }

    /** This load with one more task on the instance: what {@link #of} gives with it added, without summing the others again. */
    public InstanceLoad plus(TaskView task) {
        if (!task.live()) {
            return this;
        }
        Allocation allocation = task.allocation();
        Set<Integer> tcp = tcpPorts;
        if (!allocation.tcpPorts().isEmpty()) {
            tcp = new HashSet<>(tcpPorts);
            tcp.addAll(allocation.tcpPorts());
        }
        Set<Integer> udp = udpPorts;
        if (!allocation.udpPorts().isEmpty()) {
            udp = new HashSet<>(udpPorts);
            udp.addAll(allocation.udpPorts());
        }
        Map<String, Integer> groups = liveByGroup;
        if (task.group() != null) {
            groups = new HashMap<>(liveByGroup);
            groups.merge(task.group(), 1, Integer::sum);
        }
        return new InstanceLoad(cpu + allocation.cpu(), memory + allocation.memory(), tcp, udp, groups,
                liveTasks + 1, runningTasks + (task.running() ? 1 : 0));
    }

    /** This load with one more live task that has not started yet (placed, PENDING); resources unchanged. */
    public InstanceLoad withPendingTask(String group) {
        Map<String, Integer> groups = new HashMap<>(liveByGroup);
        if (group != null) {
            groups.merge(group, 1, Integer::sum);
        }
        return new InstanceLoad(cpu, memory, tcpPorts, udpPorts, groups, liveTasks + 1, runningTasks);
    }
}
