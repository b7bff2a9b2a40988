package io.berth.core.task;

import java.util.List;

/**
 * What a task holds on its container instance while it is not STOPPED: CPU units, MiB of memory,
 * and static host ports.
 */
public record Allocation(int cpu, int memory, List<Integer> tcpPorts, List<Integer> udpPorts) {
    public static final Allocation NONE = new Allocation(0, 0, List.of(), List.of());

    public Allocation {
        tcpPorts = tcpPorts == null ? List.of() : List.copyOf(tcpPorts);
        udpPorts = udpPorts == null ? List.of() : List.copyOf(udpPorts);
    }
}
