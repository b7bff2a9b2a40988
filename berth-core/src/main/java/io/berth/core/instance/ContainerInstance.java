package io.berth.core.instance;

import io.berth.core.task.Allocation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A host registered in a cluster. Its resources in use are the sum of the allocations of the
 * tasks assigned to it that are not STOPPED; a RunTask commits the task and the instance with its
 * new allocation in one transaction, so concurrent placements never overcommit it.
 *
 * @param status ACTIVE, DRAINING, INACTIVE (deregistered)
 * @param tokenHash SHA-256 of the agent's token (hex), null for instances registered through the API
 * @param desiredVersion +1 on every change of what the agent must run
 * @param allocations task id -> what the task holds
 * @param reportSequence the last agent report sequence applied
 */
public record ContainerInstance(
        String cluster,
        String id,
        String ec2InstanceId,
        String status,
        String tokenHash,
        String hostAddress,
        int cpu,
        int memory,
        List<Integer> reservedTcpPorts,
        List<Integer> reservedUdpPorts,
        List<Attribute> attributes,
        String agentVersion,
        String dockerVersion,
        boolean simulated,
        Instant registeredAt,
        long desiredVersion,
        Map<String, Allocation> allocations,
        long reportSequence,
        long version) {

    public ContainerInstance {
        Objects.requireNonNull(cluster);
        Objects.requireNonNull(id);
        reservedTcpPorts = reservedTcpPorts == null ? List.of() : List.copyOf(reservedTcpPorts);
        reservedUdpPorts = reservedUdpPorts == null ? List.of() : List.copyOf(reservedUdpPorts);
        attributes = attributes == null ? List.of() : List.copyOf(attributes);
        allocations = allocations == null ? Map.of() : Map.copyOf(allocations);
    }

    /** An ECS attribute of the instance (targetType container-instance). */
    public record Attribute(String name, String value) {
    }

    public String key() {
        return cluster + "/" + id;
    }

    public boolean active() {
        return "ACTIVE".equals(status);
    }

    public boolean registered() {
        return "ACTIVE".equals(status) || "DRAINING".equals(status);
    }

    public int usedCpu() {
        return allocations.values().stream().mapToInt(Allocation::cpu).sum();
    }

    public int usedMemory() {
        return allocations.values().stream().mapToInt(Allocation::memory).sum();
    }

    /** Host TCP ports in use: reserved ones and those tasks hold. */
    public Set<Integer> usedTcpPorts() {
        Set<Integer> ports = new HashSet<>(reservedTcpPorts);
        allocations.values().forEach(a -> ports.addAll(a.tcpPorts()));
        return ports;
    }

    public Set<Integer> usedUdpPorts() {
        Set<Integer> ports = new HashSet<>(reservedUdpPorts);
        allocations.values().forEach(a -> ports.addAll(a.udpPorts()));
        return ports;
    }

    public String attribute(String name) {
        for (Attribute a : attributes) {
            if (a.name().equals(name)) {
                return a.value();
            }
        }
        return null;
    }

    public ContainerInstance withAllocation(String taskId, Allocation allocation) {
        // straight into an immutable map, which the constructor keeps as it is (one copy, not three)
        @SuppressWarnings("unchecked")
        Map.Entry<String, Allocation>[] entries = new Map.Entry[allocations.size() + 1];
        int n = 0;
        for (Map.Entry<String, Allocation> e : allocations.entrySet()) {
            if (!e.getKey().equals(taskId)) {
                entries[n++] = e;
            }
        }
        entries[n++] = Map.entry(taskId, allocation);
        return copy(status, attributes, desiredVersion + 1, Map.ofEntries(Arrays.copyOf(entries, n)), reportSequence);
    }

    public ContainerInstance withoutAllocation(String taskId) {
        Map<String, Allocation> next = new LinkedHashMap<>(allocations);
        next.remove(taskId);
        return copy(status, attributes, desiredVersion + 1, next, reportSequence);
    }

    /** Something the agent must act on changed without an allocation change (a stop request). */
    public ContainerInstance withDesiredChange() {
        return copy(status, attributes, desiredVersion + 1, allocations, reportSequence);
    }

    public ContainerInstance withStatus(String newStatus) {
        return copy(newStatus, attributes, desiredVersion + 1, allocations, reportSequence);
    }

    public ContainerInstance withAttributes(List<Attribute> newAttributes) {
        return copy(status, newAttributes, desiredVersion, allocations, reportSequence);
    }

    /** Sets or replaces the attributes named in {@code changes}; a null value removes one. */
    public ContainerInstance withAttributeChanges(Map<String, String> changes, boolean remove) {
        Map<String, String> merged = new LinkedHashMap<>();
        attributes.forEach(a -> merged.put(a.name(), a.value()));
        changes.forEach((k, v) -> {
            if (remove) {
                merged.remove(k);
            } else {
                merged.put(k, v);
            }
        });
        List<Attribute> next = new ArrayList<>();
        merged.forEach((k, v) -> next.add(new Attribute(k, v)));
        return withAttributes(next);
    }

    public ContainerInstance withReportSequence(long sequence) {
        return copy(status, attributes, desiredVersion, allocations, sequence);
    }

    private ContainerInstance copy(String newStatus, List<Attribute> newAttributes, long newDesiredVersion,
                                   Map<String, Allocation> newAllocations, long newReportSequence) {
        return new ContainerInstance(cluster, id, ec2InstanceId, newStatus, tokenHash, hostAddress, cpu, memory,
                reservedTcpPorts, reservedUdpPorts, newAttributes, agentVersion, dockerVersion, simulated,
                registeredAt, newDesiredVersion, newAllocations, newReportSequence, version + 1);
    }
}
