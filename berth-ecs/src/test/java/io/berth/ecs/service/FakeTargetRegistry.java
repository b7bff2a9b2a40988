package io.berth.ecs.service;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Target groups in memory, with a deregistration delay on the test's clock. New targets are
 * INITIAL until {@link #setState} moves them; a {@link #broken} registry fails every write.
 * Records every call, for tests that look at the order of things.
 */
final class FakeTargetRegistry implements TargetRegistry {
    private final InstantSource clock;
    private final Map<String, TargetGroupInfo> groups = new HashMap<>();
    private final Map<String, Map<Target, TargetState>> targets = new HashMap<>();
    private final Map<String, Map<Target, Instant>> drainingUntil = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    Duration delay = Duration.ofSeconds(10);
    boolean broken;

    FakeTargetRegistry(InstantSource clock) {
        this.clock = clock;
    }

    String group(String name, String targetType, boolean attached) {
        String arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/" + name + "/0123456789abcdef";
        groups.put(arn, new TargetGroupInfo(arn, targetType, attached));
        return arn;
    }

    @Override
    public synchronized Optional<TargetGroupInfo> targetGroup(String arn) {
        return Optional.ofNullable(groups.get(arn));
    }

    @Override
    public synchronized Map<Target, TargetState> targets(String arn) {
        expire(arn);
        return Map.copyOf(targets.getOrDefault(arn, Map.of()));
    }

    @Override
    public synchronized void register(String arn, List<Target> list) {
        write();
        calls.add("register " + list);
        Map<Target, TargetState> group = targets.computeIfAbsent(arn, k -> new LinkedHashMap<>());
        for (Target t : list) {
            if (group.get(t) == null || group.get(t) == TargetState.DRAINING) {
                group.put(t, TargetState.INITIAL);
                drainingUntil.getOrDefault(arn, new HashMap<>()).remove(t);
            }
        }
    }

    @Override
    public synchronized void deregister(String arn, List<Target> list) {
        write();
        calls.add("deregister " + list);
        Map<Target, TargetState> group = targets.computeIfAbsent(arn, k -> new LinkedHashMap<>());
        for (Target t : list) {
            if (group.containsKey(t) && group.get(t) != TargetState.DRAINING) {
                group.put(t, TargetState.DRAINING);
                drainingUntil.computeIfAbsent(arn, k -> new HashMap<>()).put(t, clock.instant().plus(delay));
            }
        }
    }

    /** Sets the state of every registered, not draining target of a group. */
    synchronized void setState(String arn, TargetState state) {
        targets.computeIfAbsent(arn, k -> new LinkedHashMap<>())
                .replaceAll((t, s) -> s == TargetState.DRAINING ? s : state);
    }

    synchronized void setState(String arn, Target target, TargetState state) {
        targets.get(arn).put(target, state);
    }

    /** Registered targets that are not draining. */
    synchronized List<Target> serving(String arn) {
        expire(arn);
        return targets.getOrDefault(arn, Map.of()).entrySet().stream()
                .filter(e -> e.getValue() != TargetState.DRAINING).map(Map.Entry::getKey).toList();
    }

    private void expire(String arn) {
        Map<Target, Instant> until = drainingUntil.getOrDefault(arn, Map.of());
        until.entrySet().removeIf(e -> {
            if (!e.getValue().isAfter(clock.instant())) {
                targets.get(arn).remove(e.getKey());
                return true;
            }
            return false;
        });
    }

    private void write() {
        if (broken) {
            throw new IllegalStateException("the load balancer is unavailable");
        }
    }
}
