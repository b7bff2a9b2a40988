package io.berth.server;

import io.berth.ecs.service.TargetRegistry;
import io.berth.lb.api.TargetDirectory;
import io.berth.lb.health.TargetHealth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ECS services' {@link TargetRegistry} backed by Berth's own load balancer. Bound once the load
 * balancer is built (it resolves instance targets through ECS, so the two are made in turn); until
 * then it knows no target group. Thread-safe.
 */
final class LbTargetRegistry implements TargetRegistry {
    private volatile TargetDirectory directory;

    void bind(TargetDirectory directory) {
        this.directory = directory;
    }

    @Override
    public Optional<TargetGroupInfo> targetGroup(String arn) {
        TargetDirectory d = directory;
        return d == null ? Optional.empty()
                : d.group(arn).map(g -> new TargetGroupInfo(g.arn(), g.targetType(), g.inUse()));
    }

    @Override
    public Map<Target, TargetState> targets(String targetGroupArn) {
        TargetDirectory d = directory;
        Map<Target, TargetState> out = new LinkedHashMap<>();
        if (d != null) {
            d.targets(targetGroupArn).forEach((t, h) -> out.put(new Target(t.id(), t.port()), state(h)));
        }
        return out;
    }

    @Override
    public void register(String targetGroupArn, List<Target> targets) {
        require().register(targetGroupArn, refs(targets));
    }

    @Override
    public void deregister(String targetGroupArn, List<Target> targets) {
        require().deregister(targetGroupArn, refs(targets));
    }

    /** ELBv2's target health state as the service scheduler counts it. */
    static TargetState state(TargetHealth h) {
        return switch (h.state()) {
            case "healthy" -> TargetState.HEALTHY;
            case "unhealthy", "unhealthy.draining" -> TargetState.UNHEALTHY;
            case "unavailable" -> TargetState.UNAVAILABLE;
            case "draining" -> TargetState.DRAINING;
            case "unused" -> TargetState.NOT_IN_USE;
            default -> TargetState.INITIAL;
        };
    }

    private TargetDirectory require() {
        TargetDirectory d = directory;
        if (d == null) {
            throw new IllegalStateException("the load balancer is not started");
        }
        return d;
    }

    private static List<TargetDirectory.TargetRef> refs(List<Target> targets) {
        return targets.stream().map(t -> new TargetDirectory.TargetRef(t.id(), t.port())).toList();
    }
}
