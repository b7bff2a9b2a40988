package io.berth.lb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import io.berth.core.store.Mutation;
import io.berth.lb.LbError;
import io.berth.lb.TargetResolver;
import io.berth.lb.model.Attributes;
import io.berth.lb.model.HealthCheck;
import io.berth.lb.model.Registrations;
import io.berth.lb.model.Tag;
import io.berth.lb.model.TargetGroup;
import io.berth.lb.state.Kind;
import io.berth.lb.state.LbState;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * CreateTargetGroup, DescribeTargetGroups, ModifyTargetGroup, DeleteTargetGroup and the target
 * group attributes. Only HTTP groups of type instance or ip. Thread-safe.
 */
final class TargetGroupOperations {
    private static final Pattern MATCHER = Pattern.compile("\\d{3}(-\\d{3})?(,\\d{3}(-\\d{3})?)*");
    private final Lookup lookup;

    TargetGroupOperations(Lookup lookup, TargetResolver resolver, InstantSource clock) {
        this.lookup = lookup;
    }

    ObjectNode createTargetGroup(RequestContext context, ObjectNode input) {
        String name = Wire.text(input, "Name");
        Checks.targetGroupName(name);
        String targetType = Optional.ofNullable(Wire.text(input, "TargetType")).orElse("instance");
        if (!"instance".equals(targetType) && !"ip".equals(targetType)) {
            throw LbError.INVALID_CONFIGURATION.exception("Berth supports target groups of type 'instance' and 'ip' only");
        }
        String protocol = Wire.text(input, "Protocol");
        if (protocol == null) {
            throw new BerthException(ErrorCode.VALIDATION, "A protocol must be specified");
        }
        if (!"HTTP".equals(protocol)) {
            throw LbError.UNSUPPORTED_PROTOCOL.exception("Berth supports the HTTP protocol only for target groups");
        }
        Integer port = Wire.integer(input, "Port");
        if (port == null) {
            throw new BerthException(ErrorCode.VALIDATION, "A port must be specified");
        }
        String version = Optional.ofNullable(Wire.text(input, "ProtocolVersion")).orElse("HTTP1");
        if (!"HTTP1".equals(version)) {
            throw LbError.UNSUPPORTED_PROTOCOL.exception("Berth supports protocol version HTTP1 only");
        }
        HealthCheck check = healthCheck(HealthCheck.defaults(), input);
        List<Tag> tags = Wire.tags(input, "Tags");
        Checks.tags(tags);
        String vpc = Wire.text(input, "VpcId");
        String ipType = Optional.ofNullable(Wire.text(input, "IpAddressType")).orElse("ipv4");
        TargetGroup tg = lookup.state().retry(() -> {
            Optional<LbState.Read<TargetGroup>> existing = lookup.state().get(Kind.TARGET_GROUP, name);
            if (existing.isPresent()) {
                TargetGroup e = existing.get().value();
                if (e.port() == port && e.targetType().equals(targetType) && e.healthCheck().equals(check)
                        && Objects.equals(e.vpcId(), vpc)) {
                    return e;
                }
                throw LbError.DUPLICATE_TARGET_GROUP_NAME.exception("A target group with the same name '" + name
                        + "' exists, but with different settings");
            }
            TargetGroup created = new TargetGroup(lookup.arns().targetGroup(name, lookup.arns().newId()), name,
                    protocol, version, port, vpc, targetType, ipType, check, Attributes.targetGroupDefaults());
            List<Mutation> tx = new ArrayList<>();
            tx.add(LbState.create(Kind.TARGET_GROUP, name, created));
            tx.add(LbState.put(Kind.TARGETS, name, new Registrations(created.arn(), List.of())));
            Tagging.initial(created.arn(), tags).ifPresent(tx::add);
            lookup.state().commit(tx);
            return created;
        });
        ObjectNode out = Wire.object();
        out.set("TargetGroups", Wire.array().add(Wire.targetGroup(tg, lookup.loadBalancersUsing(tg.arn()))));
        return out;
    }

    /** {@code base} with the health check members of a Create/ModifyTargetGroup input applied and checked. */
    static HealthCheck healthCheck(HealthCheck base, JsonNode in) {
        String protocol = Optional.ofNullable(Wire.text(in, "HealthCheckProtocol")).orElse(base.protocol());
        if (!"HTTP".equals(protocol)) {
            throw LbError.UNSUPPORTED_PROTOCOL.exception("Berth supports HTTP health checks only");
        }
        String port = Optional.ofNullable(Wire.text(in, "HealthCheckPort")).orElse(base.port());
        if (!HealthCheck.TRAFFIC_PORT.equals(port)) {
            try {
                int p = Integer.parseInt(port);
                if (p < 1 || p > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new BerthException(ErrorCode.VALIDATION, "Health check port '" + port
                        + "' must be 'traffic-port' or a port between 1 and 65535");
            }
        }
        String path = Optional.ofNullable(Wire.text(in, "HealthCheckPath")).orElse(base.path());
        if (!path.startsWith("/")) {
            throw new BerthException(ErrorCode.VALIDATION, "Health check path must begin with a '/' character");
        }
        int interval = Optional.ofNullable(Wire.integer(in, "HealthCheckIntervalSeconds")).orElse(base.intervalSeconds());
        int timeout = Optional.ofNullable(Wire.integer(in, "HealthCheckTimeoutSeconds")).orElse(base.timeoutSeconds());
        if (timeout >= interval) {
            throw LbError.INVALID_CONFIGURATION.exception("Health check timeout '" + timeout
                    + "' must be smaller than the interval '" + interval + "'");
        }
        String matcher = in.has("Matcher") && in.get("Matcher").hasNonNull("HttpCode")
                ? in.get("Matcher").get("HttpCode").asText() : base.matcher();
        if (in.has("Matcher") && in.get("Matcher").has("GrpcCode")) {
            throw LbError.INVALID_CONFIGURATION.exception("A gRPC matcher needs protocol version GRPC");
        }
        if (!MATCHER.matcher(matcher).matches() || !codesInRange(matcher)) {
            throw new BerthException(ErrorCode.VALIDATION, "Health check matcher HTTP code '" + matcher
                    + "' must be codes from 200 to 499, as '200', '200,202' or '200-299'");
        }
        return new HealthCheck(
                Optional.ofNullable(Wire.bool(in, "HealthCheckEnabled")).orElse(base.enabled()),
                protocol, port, path, interval, timeout,
                Optional.ofNullable(Wire.integer(in, "HealthyThresholdCount")).orElse(base.healthyThreshold()),
                Optional.ofNullable(Wire.integer(in, "UnhealthyThresholdCount")).orElse(base.unhealthyThreshold()),
                matcher);
    }

    private static boolean codesInRange(String matcher) {
        for (String code : matcher.split("[,-]")) {
            int c = Integer.parseInt(code);
            if (c < 200 || c > 499) {
                return false;
            }
        }
        return true;
    }

    ObjectNode describeTargetGroups(RequestContext context, ObjectNode input) {
        List<String> arns = Wire.strings(input, "TargetGroupArns");
        List<String> names = Wire.strings(input, "Names");
        String lbArn = Wire.text(input, "LoadBalancerArn");
        if ((!arns.isEmpty() ? 1 : 0) + (!names.isEmpty() ? 1 : 0) + (lbArn != null ? 1 : 0) > 1) {
            throw new BerthException(ErrorCode.VALIDATION, "Target group names, target group ARNs, and a load "
                    + "balancer ARN cannot be specified at the same time");
        }
        List<TargetGroup> found = new ArrayList<>();
        if (!arns.isEmpty()) {
            for (String arn : arns) {
                found.add(lookup.requireTargetGroup(arn).value());
            }
        } else if (!names.isEmpty()) {
            for (String name : names) {
                found.add(lookup.state().value(Kind.TARGET_GROUP, name).orElseThrow(() ->
                        LbError.TARGET_GROUP_NOT_FOUND.exception("Target groups '[" + name + "]' not found")));
            }
        } else {
            List<TargetGroup> all = lookup.state().values(Kind.TARGET_GROUP, "");
            if (lbArn != null) {
                lookup.requireLoadBalancer(lbArn);
                all = all.stream().filter(tg -> lookup.loadBalancersUsing(tg.arn()).contains(lbArn)).toList();
            }
            found.addAll(all);
        }
        Page<TargetGroup> page = Page.of(found, TargetGroup::name, Wire.text(input, "Marker"),
                Checks.pageSize(Wire.integer(input, "PageSize")));
        ArrayNode items = Wire.array();
        page.items().forEach(tg -> items.add(Wire.targetGroup(tg, lookup.loadBalancersUsing(tg.arn()))));
        ObjectNode out = Wire.object();
        out.set("TargetGroups", items);
        page.next().ifPresent(m -> out.put("NextMarker", m));
        return out;
    }

    ObjectNode modifyTargetGroup(RequestContext context, ObjectNode input) {
        String arn = Wire.text(input, "TargetGroupArn");
        TargetGroup tg = lookup.state().retry(() -> {
            LbState.Read<TargetGroup> read = lookup.requireTargetGroup(arn);
            TargetGroup changed = read.value().withHealthCheck(healthCheck(read.value().healthCheck(), input));
            lookup.state().commit(List.of(read.update(changed)));
            return changed;
        });
        ObjectNode out = Wire.object();
        out.set("TargetGroups", Wire.array().add(Wire.targetGroup(tg, lookup.loadBalancersUsing(tg.arn()))));
        return out;
    }

    ObjectNode modifyTargetGroupAttributes(RequestContext context, ObjectNode input) {
        String arn = Wire.text(input, "TargetGroupArn");
        TargetGroup tg = lookup.state().retry(() -> {
            LbState.Read<TargetGroup> read = lookup.requireTargetGroup(arn);
            TargetGroup changed = read.value().withAttributes(Attributes.applyToTargetGroup(
                    read.value().attributes(), Wire.attributes(input, "Attributes")));
            lookup.state().commit(List.of(read.update(changed)));
            return changed;
        });
        ObjectNode out = Wire.object();
        out.set("Attributes", Wire.attributes(new java.util.TreeMap<>(tg.attributes())));
        return out;
    }

    ObjectNode describeTargetGroupAttributes(RequestContext context, ObjectNode input) {
        TargetGroup tg = lookup.requireTargetGroup(Wire.text(input, "TargetGroupArn")).value();
        ObjectNode out = Wire.object();
        out.set("Attributes", Wire.attributes(new java.util.TreeMap<>(tg.attributes())));
        return out;
    }

    ObjectNode deleteTargetGroup(RequestContext context, ObjectNode input) {
        String arn = Wire.text(input, "TargetGroupArn");
        lookup.state().retry(() -> {
            Optional<LbState.Read<TargetGroup>> read = lookup.targetGroup(arn);
            if (read.isEmpty()) {
                if (lookup.arns().resource(arn, "targetgroup").isEmpty()) {
                    throw new BerthException(ErrorCode.VALIDATION, "'" + arn + "' is not a valid target group ARN");
                }
                return null;
            }
            if (!lookup.loadBalancersUsing(arn).isEmpty()) {
                throw LbError.RESOURCE_IN_USE.exception("Target group '" + arn
                        + "' is currently in use by a listener or a rule");
            }
            lookup.state().commit(List.of(read.get().delete(),
                    LbState.remove(Kind.TARGETS, read.get().value().name()), Tagging.removeAll(arn)));
            return null;
        });
        return Wire.object();
    }
}
