package io.berth.lb.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import io.berth.core.store.Mutation;
import io.berth.lb.LbError;
import io.berth.lb.model.Action;
import io.berth.lb.model.Listener;
import io.berth.lb.model.LoadBalancer;
import io.berth.lb.model.Rule;
import io.berth.lb.model.Tag;
import io.berth.lb.state.Arns;
import io.berth.lb.state.Kind;
import io.berth.lb.state.LbState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** CreateListener, DescribeListeners, ModifyListener, DeleteListener. HTTP listeners only. Thread-safe. */
final class ListenerOperations {
    static final int MAX_LISTENERS = 50;
    private final Lookup lookup;

    ListenerOperations(Lookup lookup) {
        this.lookup = lookup;
    }

    ObjectNode createListener(RequestContext context, ObjectNode input) {
        String lbArn = Wire.text(input, "LoadBalancerArn");
        String protocol = protocol(Optional.ofNullable(Wire.text(input, "Protocol")).orElse("HTTP"));
        Integer port = Wire.integer(input, "Port");
        if (port == null) {
            throw new BerthException(ErrorCode.VALIDATION, "A listener port must be specified");
        }
        List<Action> actions = ActionChecks.actions(Wire.parseActions(input, "DefaultActions"), lookup);
        List<Tag> tags = Wire.tags(input, "Tags");
        Checks.tags(tags);
        Listener listener = lookup.state().retry(() -> {
            LoadBalancer lb = lookup.requireLoadBalancer(lbArn).value();
            List<Listener> existing = lookup.listenersOf(lbArn);
            Optional<Listener> same = existing.stream().filter(l -> l.port() == port).findFirst();
            if (same.isPresent()) {
                if (same.get().protocol().equals(protocol) && same.get().defaultActions().equals(actions)) {
                    return same.get();
                }
                throw LbError.DUPLICATE_LISTENER.exception("A listener already exists on this port for this load "
                        + "balancer '" + lbArn + "'");
            }
            if (existing.size() >= MAX_LISTENERS) {
                throw LbError.INVALID_CONFIGURATION.exception("You've reached the limit on the number of listeners "
                        + "per load balancer");
            }
            String key = Arns.loadBalancerKey(lb.arn()) + "/" + lookup.arns().newId();
            Listener created = new Listener(lookup.arns().listener(key), lb.arn(), port, protocol, actions,
                    lookup.arns().newId());
            List<Mutation> tx = new ArrayList<>();
            tx.add(LbState.create(Kind.LISTENER, key, created));
            Tagging.initial(created.arn(), tags).ifPresent(tx::add);
            lookup.state().commit(tx);
            return created;
        });
        ObjectNode out = Wire.object();
        out.set("Listeners", Wire.array().add(Wire.listener(listener)));
        return out;
    }

    private static String protocol(String protocol) {
        if (!"HTTP".equals(protocol)) {
            throw LbError.UNSUPPORTED_PROTOCOL.exception("Berth's application load balancers listen with HTTP only; '"
                    + protocol + "' is not supported");
        }
        return protocol;
    }

    ObjectNode describeListeners(RequestContext context, ObjectNode input) {
        String lbArn = Wire.text(input, "LoadBalancerArn");
        List<String> arns = Wire.strings(input, "ListenerArns");
        if (lbArn == null && arns.isEmpty()) {
            throw new BerthException(ErrorCode.VALIDATION, "You must specify either listener ARNs or a load "
                    + "balancer ARN");
        }
        if (lbArn != null && !arns.isEmpty()) {
            throw new BerthException(ErrorCode.VALIDATION, "Listener ARNs and a load balancer ARN cannot be "
                    + "specified at the same time");
        }
        List<Listener> found = new ArrayList<>();
        if (lbArn != null) {
            lookup.requireLoadBalancer(lbArn);
            found.addAll(lookup.listenersOf(lbArn));
        } else {
            for (String arn : arns) {
                found.add(lookup.requireListener(arn).value());
            }
        }
        Page<Listener> page = Page.of(found, Listener::arn, Wire.text(input, "Marker"),
                Checks.pageSize(Wire.integer(input, "PageSize")));
        ArrayNode items = Wire.array();
        page.items().forEach(l -> items.add(Wire.listener(l)));
        ObjectNode out = Wire.object();
        out.set("Listeners", items);
        page.next().ifPresent(m -> out.put("NextMarker", m));
        return out;
    }

    ObjectNode modifyListener(RequestContext context, ObjectNode input) {
        String arn = Wire.text(input, "ListenerArn");
        List<Action> actions = input.has("DefaultActions")
                ? ActionChecks.actions(Wire.parseActions(input, "DefaultActions"), lookup) : null;
        Listener listener = lookup.state().retry(() -> {
            LbState.Read<Listener> read = lookup.requireListener(arn);
            Listener l = read.value();
            int port = Optional.ofNullable(Wire.integer(input, "Port")).orElse(l.port());
            String protocol = protocol(Optional.ofNullable(Wire.text(input, "Protocol")).orElse(l.protocol()));
            if (port != l.port() && lookup.listenersOf(l.loadBalancerArn()).stream().anyMatch(o -> o.port() == port)) {
                throw LbError.DUPLICATE_LISTENER.exception("A listener already exists on this port for this load "
                        + "balancer '" + l.loadBalancerArn() + "'");
            }
            Listener changed = l.with(port, protocol, actions == null ? l.defaultActions() : actions);
            lookup.state().commit(List.of(read.update(changed)));
            return changed;
        });
        ObjectNode out = Wire.object();
        out.set("Listeners", Wire.array().add(Wire.listener(listener)));
        return out;
    }

    ObjectNode deleteListener(RequestContext context, ObjectNode input) {
        String arn = Wire.text(input, "ListenerArn");
        lookup.state().retry(() -> {
            LbState.Read<Listener> read = lookup.requireListener(arn);
            List<Mutation> tx = new ArrayList<>();
            tx.add(read.delete());
            tx.add(Tagging.removeAll(arn));
            for (Rule r : lookup.rulesOf(arn)) {
                tx.add(LbState.remove(Kind.RULE, Arns.ruleKey(r.arn())));
                tx.add(Tagging.removeAll(r.arn()));
            }
            lookup.state().commit(tx);
            return null;
        });
        return Wire.object();
    }
}
