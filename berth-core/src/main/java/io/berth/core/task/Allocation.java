package io.berth.core.task;

import java.util.List;

/**
 * What a task holds on its container instance while it is not STOPPED: CPU units, MiB of memory,
 * static host ports, and its task group ({@code family:NAME} or {@code service:NAME}), which
 * placement strategies and constraints count without reading every task.
 */
public record Allocation(int cpu, int memory, List<Integer> tcpPorts, List<Integer> udpPorts, String group) {
    public static final Allocation NONE = new Allocation(0, 0, List.of(), List.of());

    public Allocation {
        tcpPorts = tcpPorts == null ? List.of() : List.copyOf(tcpPorts);
        udpPorts = udpPorts == null ? List.of() : List.copyOf(udpPorts);
    }

    public Allocation(int cpu, int memory, List<Integer> tcpPorts, List<Integer> udpPorts) {
        this(cpu, memory, tcpPorts, udpPorts, null);
    }

    public Allocation withGroup(String newGroup) {
        return new Allocation(cpu, memory, tcpPorts, udpPorts, newGroup);
    }
}
