package io.berth.lb.model;

import java.util.Map;
import java.util.Objects;

/**
 * A target group: where a forward action sends requests, and how its targets are checked. Stored by
 * name; its registered targets are a separate aggregate ({@link Registrations}).
 *
 * @param port the default port of targets registered without one
 * @param targetType {@code instance} (an {@code i-...} id, reached at its host address) or {@code ip}
 */
public record TargetGroup(String arn, String name, String protocol, String protocolVersion, int port, String vpcId,
                          String targetType, String ipAddressType, HealthCheck healthCheck,
                          Map<String, String> attributes) {
    public TargetGroup {
        Objects.requireNonNull(arn);
        Objects.requireNonNull(name);
        Objects.requireNonNull(healthCheck);
        attributes = Map.copyOf(attributes);
    }

    public TargetGroup withHealthCheck(HealthCheck check) {
        return new TargetGroup(arn, name, protocol, protocolVersion, port, vpcId, targetType, ipAddressType, check,
                attributes);
    }

    public TargetGroup withAttributes(Map<String, String> changed) {
        return new TargetGroup(arn, name, protocol, protocolVersion, port, vpcId, targetType, ipAddressType,
                healthCheck, changed);
    }

    public int deregistrationDelaySeconds() {
        return Integer.parseInt(attributes.getOrDefault(Attributes.DEREGISTRATION_DELAY, "300"));
    }

    public int slowStartSeconds() {
        return Integer.parseInt(attributes.getOrDefault(Attributes.SLOW_START, "0"));
    }

    /** {@code round_robin} or {@code least_outstanding_requests}. */
    public String algorithm() {
        return attributes.getOrDefault(Attributes.ALGORITHM, "round_robin");
    }
}
