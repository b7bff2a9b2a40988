package io.berth.lb.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import io.berth.core.store.Mutation;
import io.berth.lb.LbError;
import io.berth.lb.model.Attributes;
import io.berth.lb.model.Listener;
import io.berth.lb.model.LoadBalancer;
import io.berth.lb.model.Rule;
import io.berth.lb.model.Tag;
import io.berth.lb.state.Arns;
import io.berth.lb.state.Kind;
import io.berth.lb.state.LbState;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * CreateLoadBalancer, DescribeLoadBalancers, DeleteLoadBalancer and the load balancer attributes.
 * Only application load balancers; VPC parameters are accepted and kept, not enforced.
 * Thread-safe.
 */
final class LoadBalancerOperations {
    private final Lookup lookup;
    private final InstantSource clock;

    LoadBalancerOperations(Lookup lookup, InstantSource clock) {
        this.lookup = lookup;
        this.clock = clock;
    }

    ObjectNode createLoadBalancer(RequestContext context, ObjectNode input) {
        String name = Wire.text(input, "Name");
        Checks.loadBalancerName(name);
        String type = Optional.ofNullable(Wire.text(input, "Type")).orElse("application");
        if (!"application".equals(type)) {
            throw LbError.INVALID_CONFIGURATION.exception("Berth supports load balancers of type 'application' only");
        }
        String scheme = Optional.ofNullable(Wire.text(input, "Scheme")).orElse("internet-facing");
        String ipType = Optional.ofNullable(Wire.text(input, "IpAddressType")).orElse("ipv4");
        List<String> subnets = new ArrayList<>(Wire.strings(input, "Subnets"));
        if (input.has("SubnetMappings")) {
            input.get("SubnetMappings").forEach(m -> subnets.add(m.path("SubnetId").asText()));
        }
        if (input.has("Subnets") && input.has("SubnetMappings")) {
            throw new BerthException(ErrorCode.VALIDATION, "You can specify subnets or subnet mappings, not both");
        }
        List<String> groups = Wire.strings(input, "SecurityGroups");
        List<Tag> tags = Wire.tags(input, "Tags");
        Checks.tags(tags);
        LoadBalancer lb = lookup.state().retry(() -> {
            Optional<LbState.Read<LoadBalancer>> existing = lookup.state().get(Kind.LOAD_BALANCER, name);
            if (existing.isPresent()) {
                LoadBalancer e = existing.get().value();
                if (e.scheme().equals(scheme) && e.type().equals(type)) {
                    return e;
                }
                throw LbError.DUPLICATE_LOAD_BALANCER_NAME.exception("A load balancer with the same name '" + name
                        + "' exists, but with different settings");
            }
            String id = lookup.arns().newId();
            LoadBalancer created = new LoadBalancer(lookup.arns().loadBalancer(name, id), name, id,
                    lookup.arns().dnsName(name, scheme), scheme, type, ipType, null, subnets, groups,
                    clock.instant().truncatedTo(ChronoUnit.MILLIS), Attributes.loadBalancerDefaults());
            List<Mutation> tx = new ArrayList<>();
            tx.add(LbState.create(Kind.LOAD_BALANCER, name, created));
            Tagging.initial(created.arn(), tags).ifPresent(tx::add);
            lookup.state().commit(tx);
            return created;
        });
        ObjectNode out = Wire.object();
        out.set("LoadBalancers", Wire.array().add(Wire.loadBalancer(lb, "provisioning")));
        return out;
    }

    ObjectNode describeLoadBalancers(RequestContext context, ObjectNode input) {
        List<String> arns = Wire.strings(input, "LoadBalancerArns");
        List<String> names = Wire.strings(input, "Names");
        if (!arns.isEmpty() && !names.isEmpty()) {
            throw new BerthException(ErrorCode.VALIDATION, "Load balancer names and load balancer ARNs cannot be "
                    + "specified at the same time");
        }
        List<LoadBalancer> found = new ArrayList<>();
        if (!arns.isEmpty()) {
            for (String arn : arns) {
                found.add(lookup.requireLoadBalancer(arn).value());
            }
        } else if (!names.isEmpty()) {
            for (String name : names) {
                found.add(lookup.state().value(Kind.LOAD_BALANCER, name).orElseThrow(() ->
                        LbError.LOAD_BALANCER_NOT_FOUND.exception("Load balancers '[" + name + "]' not found")));
            }
        } else {
            found.addAll(lookup.state().values(Kind.LOAD_BALANCER, ""));
        }
        Page<LoadBalancer> page = Page.of(found, LoadBalancer::name, Wire.text(input, "Marker"),
                Checks.pageSize(Wire.integer(input, "PageSize")));
        ArrayNode items = Wire.array();
        page.items().forEach(lb -> items.add(Wire.loadBalancer(lb, "active")));
        ObjectNode out = Wire.object();
        out.set("LoadBalancers", items);
        page.next().ifPresent(m -> out.put("NextMarker", m));
        return out;
    }

    ObjectNode deleteLoadBalancer(RequestContext context, ObjectNode input) {
        String arn = Wire.text(input, "LoadBalancerArn");
        lookup.state().retry(() -> {
            Optional<LbState.Read<LoadBalancer>> read = lookup.loadBalancer(arn);
            if (read.isEmpty()) {
                if (lookup.arns().resource(arn, "loadbalancer").isEmpty()) {
                    throw new BerthException(ErrorCode.VALIDATION, "'" + arn + "' is not a valid load balancer ARN");
                }
                return null;
            }
            if (read.get().value().deletionProtected()) {
                throw LbError.OPERATION_NOT_PERMITTED.exception("Load balancer '" + arn
                        + "' cannot be deleted because deletion protection is enabled");
            }
            List<Mutation> tx = new ArrayList<>();
            tx.add(read.get().delete());
            tx.add(Tagging.removeAll(arn));
            for (Listener l : lookup.listenersOf(arn)) {
                tx.add(LbState.remove(Kind.LISTENER, Arns.listenerKey(l.arn())));
                tx.add(Tagging.removeAll(l.arn()));
                for (Rule r : lookup.rulesOf(l.arn())) {
                    tx.add(LbState.remove(Kind.RULE, Arns.ruleKey(r.arn())));
                    tx.add(Tagging.removeAll(r.arn()));
                }
            }
            lookup.state().commit(tx);
            return null;
        });
        return Wire.object();
    }

    ObjectNode modifyLoadBalancerAttributes(RequestContext context, ObjectNode input) {
        String arn = Wire.text(input, "LoadBalancerArn");
        LoadBalancer lb = lookup.state().retry(() -> {
            LbState.Read<LoadBalancer> read = lookup.requireLoadBalancer(arn);
            LoadBalancer changed = read.value().withAttributes(Attributes.applyToLoadBalancer(
                    read.value().attributes(), Wire.attributes(input, "Attributes")));
            if (!Objects.equals(changed, read.value())) {
                lookup.state().commit(List.of(read.update(changed)));
            }
            return changed;
        });
        ObjectNode out = Wire.object();
        out.set("Attributes", Wire.attributes(new java.util.TreeMap<>(lb.attributes())));
        return out;
    }

    ObjectNode describeLoadBalancerAttributes(RequestContext context, ObjectNode input) {
        LoadBalancer lb = lookup.requireLoadBalancer(Wire.text(input, "LoadBalancerArn")).value();
        ObjectNode out = Wire.object();
        out.set("Attributes", Wire.attributes(new java.util.TreeMap<>(lb.attributes())));
        return out;
    }

    ObjectNode setSecurityGroups(RequestContext context, ObjectNode input) {
        String arn = Wire.text(input, "LoadBalancerArn");
        List<String> groups = Wire.strings(input, "SecurityGroups");
        lookup.state().retry(() -> {
            LbState.Read<LoadBalancer> read = lookup.requireLoadBalancer(arn);
            lookup.state().commit(List.of(read.update(read.value().withSecurityGroups(groups))));
            return null;
        });
        ObjectNode out = Wire.object();
        out.set("SecurityGroupIds", Wire.strings(groups));
        return out;
    }
}
