package io.berth.lb.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The targets registered with one target group, stored as one aggregate (keyed by the group's name)
 * so that a registration is one versioned write. A deregistered target stays here, draining, until
 * {@code drainingUntil}; then it is gone.
 */
public record Registrations(String targetGroupArn, List<Target> targets) {
    public Registrations {
        Objects.requireNonNull(targetGroupArn);
        targets = List.copyOf(targets);
    }

    /**
     * One registered target.
     *
     * @param id an instance id ({@code i-...}) or an IP address
     * @param drainingUntil null while registered; when deregistered, the end of its deregistration delay
     */
    public record Target(String id, int port, String availabilityZone, Instant registeredAt, Instant drainingUntil) {
        public boolean draining() {
            return drainingUntil != null;
        }

        public boolean sameAs(String otherId, int otherPort) {
            return id.equals(otherId) && port == otherPort;
        }
    }
}
