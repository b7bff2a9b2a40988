package io.berth.scheduler.placement;

import java.util.List;

/** What one task needs of an instance: CPU units, MiB of memory, static host ports. */
public record TaskDemand(int cpu, int memory, List<Integer> tcpPorts, List<Integer> udpPorts) {
    public TaskDemand {
        tcpPorts = tcpPorts == null ? List.of() : List.copyOf(tcpPorts);
        udpPorts = udpPorts == null ? List.of() : List.copyOf(udpPorts);
    }
}
