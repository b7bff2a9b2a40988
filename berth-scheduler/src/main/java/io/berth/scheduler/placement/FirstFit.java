package io.berth.scheduler.placement;

import io.berth.core.instance.ContainerInstance;
import io.berth.core.task.Allocation;
import io.berth.scheduler.snapshot.InstanceView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * First-fit placement: each task goes to the first instance (by registration time, then id) that is
 * ACTIVE, has a connected agent and has the CPU, memory and host ports left. Pure: the instances
 * given are a snapshot; tasks placed earlier in the same call count against later ones.
 */
public final class FirstFit {
    private FirstFit() {
    }

    public static PlacementResult place(List<InstanceView> instances, TaskDemand demand, int count) {
        List<InstanceView> ordered = new ArrayList<>(instances);
        ordered.sort(InstanceView.PLACEMENT_ORDER);
        Map<String, Usage> usage = new LinkedHashMap<>();
        for (InstanceView v : ordered) {
            usage.put(v.id(), new Usage(v));
        }
        List<String> placements = new ArrayList<>();
        Map<String, String> vetoes = new LinkedHashMap<>();
        for (int n = 0; n < count; n++) {
            String chosen = null;
            for (InstanceView v : ordered) {
                String veto = veto(v, usage.get(v.id()), demand);
                if (veto == null) {
                    chosen = v.id();
                    break;
                }
                vetoes.putIfAbsent(v.id(), veto);
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

    private static String veto(InstanceView view, Usage used, TaskDemand demand) {
        ContainerInstance instance = view.instance();
        if (!instance.active()) {
            return "INACTIVE";
        }
        if (!view.agentConnected()) {
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

        Usage(InstanceView v) {
            cpu = v.load().cpu();
            memory = v.load().memory();
            tcp = new HashSet<>(v.load().tcpPorts());
            udp = new HashSet<>(v.load().udpPorts());
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
