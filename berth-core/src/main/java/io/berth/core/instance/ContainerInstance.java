package io.berth.core.instance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A host registered in a cluster. Its resources in use are the sum of the allocations of the
 * tasks assigned to it that are not STOPPED (each task record carries its own); the record itself
 * holds what the host offers and what its agent must know of (desiredVersion). A RunTask commits
 * its tasks with the instances' new desired versions and the cluster's placement epoch, so
 * concurrent placements never overcommit an instance.
 *
 * @param status ACTIVE, DRAINING, INACTIVE (deregistered)
 * @param tokenHash SHA-256 of the agent's token (hex), null for instances registered through the API
 * @param desiredVersion +1 on every change of what the agent must run
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
        long reportSequence,
        long version) {

    public ContainerInstance {
        Objects.requireNonNull(cluster);
        Objects.requireNonNull(id);
        reservedTcpPorts = reservedTcpPorts == null ? List.of() : List.copyOf(reservedTcpPorts);
        reservedUdpPorts = reservedUdpPorts == null ? List.of() : List.copyOf(reservedUdpPorts);
        attributes = attributes == null ? List.of() : List.copyOf(attributes);
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

    public String attribute(String name) {
        for (Attribute a : attributes) {
            if (a.name().equals(name)) {
                return a.value();
            }
        }
        return null;
    }

    /** Something the agent must act on changed: tasks placed on it, or a stop request. */
    public ContainerInstance withDesiredChange() {
        return copy(status, attributes, desiredVersion + 1, reportSequence);
    }

    public ContainerInstance withStatus(String newStatus) {
        return copy(newStatus, attributes, desiredVersion + 1, reportSequence);
    }

    public ContainerInstance withAttributes(List<Attribute> newAttributes) {
        return copy(status, newAttributes, desiredVersion, reportSequence);
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
        return copy(status, attributes, desiredVersion, sequence);
    }

    private ContainerInstance copy(String newStatus, List<Attribute> newAttributes, long newDesiredVersion,
                                   long newReportSequence) {
        return new ContainerInstance(cluster, id, ec2InstanceId, newStatus, tokenHash, hostAddress, cpu, memory,
                reservedTcpPorts, reservedUdpPorts, newAttributes, agentVersion, dockerVersion, simulated,
                registeredAt, newDesiredVersion, newReportSequence, version + 1);
    }
}
