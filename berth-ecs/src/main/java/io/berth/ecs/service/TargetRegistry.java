package io.berth.ecs.service;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The port through which the service scheduler registers its tasks with load balancer target
 * groups and reads their health (ECS's service-linked role calling ELBv2). Berth's server backs it
 * with its own load balancer; tests with a fake.
 *
 * <p>Contract: implementations are thread-safe and answer without waiting on the network (the
 * scheduler calls them on every pass). {@link #register} and {@link #deregister} are idempotent:
 * registering a registered target, or deregistering one that is draining or gone, changes nothing
 * and is no error. A deregistered target is {@link TargetState#DRAINING} for the group's
 * deregistration delay, then absent from {@link #targets}.
 */
public interface TargetRegistry {
    /** A target group as ECS checks it when a service names it. */
    record TargetGroupInfo(String arn, String targetType, boolean attached) {
        public TargetGroupInfo {
            Objects.requireNonNull(arn);
            Objects.requireNonNull(targetType);
        }
    }

    /** A target: an instance id ({@code i-...}) or an IP address, and a port. */
    record Target(String id, int port) {
        public Target {
            Objects.requireNonNull(id);
        }
    }

    /** A registered target's state (ELBv2's TargetHealthStateEnum, with {@code unused} split by reason). */
    enum TargetState {
        INITIAL, HEALTHY, UNHEALTHY, UNAVAILABLE, DRAINING, NOT_IN_USE;

        /** Whether the load balancer sends it traffic as a healthy target (checks passed or disabled). */
        public boolean healthy() {
            return this == HEALTHY || this == UNAVAILABLE;
        }
    }

    /** The target group an ARN names, or empty when there is none. */
    Optional<TargetGroupInfo> targetGroup(String arn);

    /** Every target registered with the group (draining ones included) and its state; empty when no such group. */
    Map<Target, TargetState> targets(String targetGroupArn);

    void register(String targetGroupArn, List<Target> targets);

    void deregister(String targetGroupArn, List<Target> targets);

    /** A registry without target groups: services cannot name load balancers. */
    static TargetRegistry none() {
        return new TargetRegistry() {
            @Override
            public Optional<TargetGroupInfo> targetGroup(String arn) {
                return Optional.empty();
            }

            @Override
            public Map<Target, TargetState> targets(String targetGroupArn) {
                return Map.of();
            }

            @Override
            public void register(String targetGroupArn, List<Target> targets) {
            }

            @Override
            public void deregister(String targetGroupArn, List<Target> targets) {
            }
        };
    }
}
