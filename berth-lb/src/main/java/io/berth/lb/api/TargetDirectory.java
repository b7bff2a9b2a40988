package io.berth.lb.api;

import io.berth.lb.health.TargetHealth;
import io.berth.lb.model.Registrations;
import io.berth.lb.model.TargetGroup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Target registration for other parts of Berth (ECS services), without the wire: the same rules,
 * state and health as RegisterTargets, DeregisterTargets and DescribeTargetHealth. Thread-safe;
 * answers from the store and the data plane's memory, without network I/O.
 */
public final class TargetDirectory {
    /** A target group's facts a caller checks before naming it. */
    public record Group(String arn, String targetType, int deregistrationDelaySeconds, boolean inUse) {
    }

    /** A target as a caller names it. */
    public record TargetRef(String id, int port) {
    }

    private final Lookup lookup;
    private final TargetOperations operations;

    TargetDirectory(Lookup lookup, TargetOperations operations) {
        this.lookup = lookup;
        this.operations = operations;
    }

    public Optional<Group> group(String arn) {
        return lookup.targetGroup(arn).map(read -> {
            TargetGroup tg = read.value();
            return new Group(tg.arn(), tg.targetType(), tg.deregistrationDelaySeconds(),
                    !lookup.loadBalancersUsing(tg.arn()).isEmpty());
        });
    }

    /**
     * Every target registered with the group (draining ones included) and its health as
     * DescribeTargetHealth reports it; empty when there is no such group.
     */
    public Map<TargetRef, TargetHealth> targets(String arn) {
        Optional<TargetGroup> tg = lookup.targetGroup(arn).map(r -> r.value());
        Map<TargetRef, TargetHealth> out = new LinkedHashMap<>();
        if (tg.isPresent()) {
            for (Map.Entry<Registrations.Target, TargetHealth> e : operations.registered(tg.get())) {
                out.put(new TargetRef(e.getKey().id(), e.getKey().port()), e.getValue());
            }
        }
        return out;
    }

    /** RegisterTargets; a registered target stays as it is, a draining one is registered afresh. */
    public void register(String arn, List<TargetRef> targets) {
        operations.register(arn, tg -> requested(targets));
    }

    /** DeregisterTargets, skipping targets that are not registered. */
    public void deregister(String arn, List<TargetRef> targets) {
        operations.deregister(arn, tg -> requested(targets), false);
    }

    private static List<TargetOperations.Requested> requested(List<TargetRef> targets) {
        return targets.stream().map(t -> new TargetOperations.Requested(t.id(), t.port(), null)).toList();
    }
}
