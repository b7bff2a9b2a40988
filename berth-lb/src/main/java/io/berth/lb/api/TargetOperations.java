package io.berth.lb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.lb.LbError;
import io.berth.lb.TargetResolver;
import io.berth.lb.health.HealthView;
import io.berth.lb.health.TargetHealth;
import io.berth.lb.model.HealthCheck;
import io.berth.lb.model.Registrations;
import io.berth.lb.model.TargetGroup;
import io.berth.lb.state.Kind;
import io.berth.lb.state.LbState;
import java.net.InetAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * RegisterTargets, DeregisterTargets and DescribeTargetHealth. A deregistered target drains for the
 * group's deregistration delay (reported {@code draining}), then is gone ({@code unused},
 * {@code Target.NotRegistered}). Thread-safe.
 */
final class TargetOperations {
    static final int MAX_TARGETS = 1000;
    private static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-f]{8,17}");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private final Lookup lookup;
    private final TargetResolver resolver;
    private final InstantSource clock;
    private final HealthView health;

    TargetOperations(Lookup lookup, TargetResolver resolver, InstantSource clock, HealthView health) {
        this.lookup = lookup;
        this.resolver = resolver;
        this.clock = clock;
        this.health = health;
    }

    record Requested(String id, int port, String zone) {
    }

    private static List<Requested> targets(JsonNode input, TargetGroup tg) {
        List<Requested> out = new ArrayList<>();
        input.path("Targets").forEach(t -> out.add(new Requested(t.path("Id").asText(),
                t.hasNonNull("Port") ? t.get("Port").asInt() : tg.port(), Wire.text(t, "AvailabilityZone"))));
        return out;
    }

    ObjectNode registerTargets(RequestContext context, ObjectNode input) {
        String arn = Wire.text(input, "TargetGroupArn");
        register(arn, tg -> targets(input, tg));
        return Wire.object();
    }

    /** Registers the targets {@code requested} names (given the group); ELBv2's errors for bad ones. */
    void register(String arn, java.util.function.Function<TargetGroup, List<Requested>> requested) {
        lookup.state().retry(() -> {
            TargetGroup tg = lookup.requireTargetGroup(arn).value();
            List<Requested> wanted = requested.apply(tg);
            for (Requested r : wanted) {
                checkTarget(tg, r.id());
            }
            Optional<LbState.Read<Registrations>> read = lookup.state().get(Kind.TARGETS, tg.name());
            Instant now = clock.instant();
            List<Registrations.Target> targets = new ArrayList<>(live(read, now));
            for (Requested r : wanted) {
                targets.removeIf(t -> t.sameAs(r.id(), r.port()) && t.draining());
                if (targets.stream().noneMatch(t -> t.sameAs(r.id(), r.port()))) {
                    targets.add(new Registrations.Target(r.id(), r.port(), r.zone(), now, null));
                }
            }
            if (targets.stream().filter(t -> !t.draining()).count() > MAX_TARGETS) {
                throw LbError.TOO_MANY_TARGETS.exception("You've reached the limit on the number of targets "
                        + "registered to a target group (" + MAX_TARGETS + ")");
            }
            Registrations changed = new Registrations(tg.arn(), targets);
            lookup.state().commit(List.of(read.map(r -> r.update(changed))
                    .orElseGet(() -> LbState.create(Kind.TARGETS, tg.name(), changed))));
            return null;
        });
    }

    private void checkTarget(TargetGroup tg, String id) {
        if ("instance".equals(tg.targetType())) {
            if (!INSTANCE_ID.matcher(id).matches()) {
                throw LbError.INVALID_TARGET.exception("The following targets are not valid instances: '" + id + "'");
            }
            if (resolver.hostOf(id).isEmpty()) {
                throw LbError.INVALID_TARGET.exception("The following targets are not in a running state and can "
                        + "not be registered: '" + id + "'");
            }
        } else if (!validIp(id)) {
            throw LbError.INVALID_TARGET.exception("The IP address '" + id + "' is not a valid IPv4 address");
        }
    }

    static boolean validIp(String id) {
        var m = IPV4.matcher(id);
        if (m.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(m.group(i)) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (id.contains(":") && id.matches("[0-9a-fA-F:.]+")) {
            try {
                InetAddress.getByName(id);
                return true;
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /** The registrations of a group without the ones whose deregistration delay is over. */
    private static List<Registrations.Target> live(Optional<LbState.Read<Registrations>> read, Instant now) {
        return read.map(r -> r.value().targets()).orElse(List.of()).stream()
                .filter(t -> !t.draining() || t.drainingUntil().isAfter(now)).toList();
    }

    ObjectNode deregisterTargets(RequestContext context, ObjectNode input) {
        String arn = Wire.text(input, "TargetGroupArn");
        deregister(arn, tg -> targets(input, tg), true);
        return Wire.object();
    }

    /**
     * Deregisters targets: each drains for the group's delay. {@code strict}: a target not registered
     * is ELBv2's InvalidTarget error; otherwise it is skipped.
     */
    void deregister(String arn, java.util.function.Function<TargetGroup, List<Requested>> requested, boolean strict) {
        lookup.state().retry(() -> {
            TargetGroup tg = lookup.requireTargetGroup(arn).value();
            Optional<LbState.Read<Registrations>> read = lookup.state().get(Kind.TARGETS, tg.name());
            Instant now = clock.instant();
            List<Registrations.Target> targets = new ArrayList<>(live(read, now));
            List<String> missing = new ArrayList<>();
            for (Requested r : requested.apply(tg)) {
                Optional<Registrations.Target> found = targets.stream().filter(t -> t.sameAs(r.id(), r.port()))
                        .findFirst();
                if (found.isEmpty()) {
                    missing.add(r.id());
                    continue;
                }
                targets.remove(found.get());
                if (!found.get().draining() && tg.deregistrationDelaySeconds() > 0) {
                    targets.add(new Registrations.Target(found.get().id(), found.get().port(),
                            found.get().availabilityZone(), found.get().registeredAt(),
                            now.plusSeconds(tg.deregistrationDelaySeconds())));
                } else if (found.get().draining()) {
                    targets.add(found.get());
                }
            }
            if (strict && !missing.isEmpty()) {
                throw LbError.INVALID_TARGET.exception("The following targets are not registered in target group '"
                        + arn + "': '" + String.join("', '", missing) + "'");
            }
            Registrations changed = new Registrations(tg.arn(), targets);
            if (read.isPresent()) {
                lookup.state().commit(List.of(read.get().update(changed)));
            }
            return null;
        });
    }

    /** Every target registered with a group (draining ones included) and its health now. */
    List<Map.Entry<Registrations.Target, TargetHealth>> registered(TargetGroup tg) {
        List<Registrations.Target> registered = live(lookup.state().get(Kind.TARGETS, tg.name()), clock.instant());
        boolean inUse = !lookup.loadBalancersUsing(tg.arn()).isEmpty();
        List<Map.Entry<Registrations.Target, TargetHealth>> out = new ArrayList<>();
        registered.forEach(t -> out.add(Map.entry(t, health(tg, t, inUse))));
        return out;
    }

    ObjectNode describeTargetHealth(RequestContext context, ObjectNode input) {
        TargetGroup tg = lookup.requireTargetGroup(Wire.text(input, "TargetGroupArn")).value();
        Instant now = clock.instant();
        List<Registrations.Target> registered = live(lookup.state().get(Kind.TARGETS, tg.name()), now);
        boolean inUse = !lookup.loadBalancersUsing(tg.arn()).isEmpty();
        ArrayNode descriptions = Wire.array();
        if (input.has("Targets")) {
            for (Requested r : targets(input, tg)) {
                Optional<Registrations.Target> found = registered.stream().filter(t -> t.sameAs(r.id(), r.port()))
                        .findFirst();
                descriptions.add(found.map(t -> describe(tg, t, inUse))
                        .orElseGet(() -> describe(tg, r.id(), r.port(), r.zone(), TargetHealth.NOT_REGISTERED)));
            }
        } else {
            registered.forEach(t -> descriptions.add(describe(tg, t, inUse)));
        }
        ObjectNode out = Wire.object();
        out.set("TargetHealthDescriptions", descriptions);
        return out;
    }

    private ObjectNode describe(TargetGroup tg, Registrations.Target t, boolean inUse) {
        return describe(tg, t.id(), t.port(), t.availabilityZone(), health(tg, t, inUse));
    }

    private TargetHealth health(TargetGroup tg, Registrations.Target t, boolean inUse) {
        TargetHealth h;
        if (t.draining()) {
            h = TargetHealth.DRAINING;
        } else if (!inUse) {
            h = TargetHealth.NOT_IN_USE;
        } else if (!tg.healthCheck().enabled()) {
            h = TargetHealth.CHECK_DISABLED;
        } else {
            h = health.of(tg.arn(), t.id(), t.port());
        }
        return h;
    }

    private static ObjectNode describe(TargetGroup tg, String id, int port, String zone, TargetHealth h) {
        ObjectNode target = Wire.object().put("Id", id).put("Port", port);
        if (zone != null) {
            target.put("AvailabilityZone", zone);
        }
        ObjectNode health = Wire.object().put("State", h.state());
        if (h.reason() != null) {
            health.put("Reason", h.reason()).put("Description", h.description());
        }
        ObjectNode out = Wire.object();
        out.set("Target", target);
        out.put("HealthCheckPort", HealthCheck.TRAFFIC_PORT.equals(tg.healthCheck().port())
                ? Integer.toString(port) : tg.healthCheck().port());
        out.set("TargetHealth", health);
        return out;
    }
}
