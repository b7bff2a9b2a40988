package io.berth.lb.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An application load balancer. Stored by name (unique per account and region, as on AWS).
 *
 * @param id the 16-hex-digit id in its ARN ({@code loadbalancer/app/NAME/ID})
 * @param scheme {@code internet-facing} or {@code internal}; only the DNS name differs in Berth
 * @param attributes every attribute with its value (defaults filled in), see {@link Attributes}
 */
public record LoadBalancer(String arn, String name, String id, String dnsName, String scheme, String type,
                           String ipAddressType, String vpcId, List<String> subnets, List<String> securityGroups,
                           Instant createdTime, Map<String, String> attributes) {
    public LoadBalancer {
        Objects.requireNonNull(arn);
        Objects.requireNonNull(name);
        subnets = List.copyOf(subnets);
        securityGroups = List.copyOf(securityGroups);
        attributes = Map.copyOf(attributes);
    }

    public LoadBalancer withAttributes(Map<String, String> changed) {
        return new LoadBalancer(arn, name, id, dnsName, scheme, type, ipAddressType, vpcId, subnets, securityGroups,
                createdTime, changed);
    }

    public LoadBalancer withSecurityGroups(List<String> groups) {
        return new LoadBalancer(arn, name, id, dnsName, scheme, type, ipAddressType, vpcId, subnets, groups,
                createdTime, attributes);
    }

    /** The idle timeout of client and target connections ({@code idle_timeout.timeout_seconds}). */
    public int idleTimeoutSeconds() {
        return Integer.parseInt(attributes.getOrDefault(Attributes.IDLE_TIMEOUT, "60"));
    }

    public boolean deletionProtected() {
        return Boolean.parseBoolean(attributes.getOrDefault(Attributes.DELETION_PROTECTION, "false"));
    }
}
