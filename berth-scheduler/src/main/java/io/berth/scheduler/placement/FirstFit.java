package io.berth.scheduler.placement;

import io.berth.core.instance.ContainerInstance;
import io.berth.core.task.Allocation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * First-fit placement: each task goes to the first instance (by registration time, then id) that is
 * ACTIVE, has a connected agent and has the CPU, memory and host ports left. Pure: the instances
 * given are a snapshot; tasks placed earlier in the same call count against later ones.
 */
public final class FirstFit {
    private FirstFit() {
    }

    public static PlacementResult place(List<ContainerInstance> instances, Predicate<ContainerInstance> connected,
                                        TaskDemand demand, int count) {
        List<ContainerInstance> ordered = new ArrayList<>(instances);
        ordered.sort(Comparator.comparing(ContainerInstance::registeredAt,
                Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(ContainerInstance::id));
        Map<String, Usage> usage = new LinkedHashMap<>();
        for (ContainerInstance i : ordered) {
            usage.put(i.id(), new Usage(i));
        }
        List<String> placements = new ArrayList<>();
        Map<String, String> vetoes = new LinkedHashMap<>();
        for (int n = 0; n < count; n++) {
            String chosen = null;
            for (ContainerInstance instance : ordered) {
                String veto = veto(instance, connected, usage.get(instance.id()), demand);
                if (veto == null) {
                    chosen = instance.id();
                    break;
                }
                vetoes.putIfAbsent(instance.id(), veto);
            }
            if (chosen == null) {
                break;
            }
            usage.get(chosen).add(demand);
            placements.add(chosen);
        }
        List<PlacementResult.Veto> reasons = new ArrayList<>();
        if (placements.size() < count) {
            vetoes.forEach((id, reason) -> reasons.add(new PlacementResult.Veto(id, reason)));
        }
        return new PlacementResult(placements, reasons);
    }

    private static String veto(ContainerInstance instance, Predicate<ContainerInstance> connected, Usage used,
                               TaskDemand demand) {
        if (!instance.active()) {
            return "INACTIVE";
        }
        if (!connected.test(instance)) {
            return "AGENT";
        }
        if (instance.cpu() - used.cpu < demand.cpu()) {
            return "RESOURCE:CPU";
        }
        if (instance.memory() - used.memory < demand.memory()) {
            return "RESOURCE:MEMORY";
        }
        for (int port : demand.tcpPorts()) {
            if (used.tcp.contains(port)) {
                return "RESOURCE:PORTS";
            }
        }
        for (int port : demand.udpPorts()) {
            if (used.udp.contains(port)) {
                return "RESOURCE:PORTS_UDP";
            }
        }
        return null;
    }

    private static final class Usage {
        int cpu;
        int memory;
        final Set<Integer> tcp;
        final Set<Integer> udp;

        Usage(ContainerInstance i) {
            cpu = i.usedCpu();
            memory = i.usedMemory();
            tcp = new HashSet<>(i.usedTcpPorts());
            udp = new HashSet<>(i.usedUdpPorts());
        }

        void add(TaskDemand d) {
            cpu += d.cpu();
            memory += d.memory();
            tcp.addAll(d.tcpPorts());
            udp.addAll(d.udpPorts());
        }
    }

    /** The allocation a task placed with {@code demand} holds. */
    public static Allocation allocation(TaskDemand demand) {
        return new Allocation(demand.cpu(), demand.memory(), demand.tcpPorts(), demand.udpPorts());
    }
}
