package io.berth.lb.api;

import io.berth.lb.LbError;
import io.berth.lb.model.Action;
import io.berth.lb.model.Listener;
import io.berth.lb.model.LoadBalancer;
import io.berth.lb.model.Rule;
import io.berth.lb.model.TargetGroup;
import io.berth.lb.state.Arns;
import io.berth.lb.state.Kind;
import io.berth.lb.state.LbState;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Finds resources by ARN (with ELBv2's not-found errors) and the links between them. Thread-safe. */
final class Lookup {
    private final LbState state;
    private final Arns arns;

    Lookup(LbState state, Arns arns) {
        this.state = state;
        this.arns = arns;
    }

    LbState state() {
        return state;
    }

    Arns arns() {
        return arns;
    }

    Optional<LbState.Read<LoadBalancer>> loadBalancer(String arn) {
        return arns.resource(arn, "loadbalancer")
                .flatMap(r -> state.get(Kind.LOAD_BALANCER, Arns.nameOf(r)))
                .filter(read -> read.value().arn().equals(arn));
    }

    LbState.Read<LoadBalancer> requireLoadBalancer(String arn) {
        return loadBalancer(arn).orElseThrow(() -> LbError.LOAD_BALANCER_NOT_FOUND.exception(
                "One or more load balancers not found"));
    }

    Optional<LbState.Read<TargetGroup>> targetGroup(String arn) {
        return arns.resource(arn == null ? "" : arn, "targetgroup")
                .flatMap(r -> state.get(Kind.TARGET_GROUP, Arns.nameOf(r)))
                .filter(read -> read.value().arn().equals(arn));
    }

    LbState.Read<TargetGroup> requireTargetGroup(String arn) {
        return targetGroup(arn).orElseThrow(() -> LbError.TARGET_GROUP_NOT_FOUND.exception(
                "One or more target groups not found"));
    }

    Optional<LbState.Read<Listener>> listener(String arn) {
        return arns.resource(arn, "listener").flatMap(key -> state.get(Kind.LISTENER, key))
                .filter(read -> read.value().arn().equals(arn));
    }

    LbState.Read<Listener> requireListener(String arn) {
        return listener(arn).orElseThrow(() -> LbError.LISTENER_NOT_FOUND.exception("One or more listeners not found"));
    }

    Optional<LbState.Read<Rule>> rule(String arn) {
        return arns.resource(arn, "listener-rule").flatMap(key -> state.get(Kind.RULE, key))
                .filter(read -> read.value().arn().equals(arn));
    }

    List<Listener> listenersOf(String loadBalancerArn) {
        return state.values(Kind.LISTENER, Arns.loadBalancerKey(loadBalancerArn) + "/");
    }

    List<Rule> rulesOf(String listenerArn) {
        return state.values(Kind.RULE, Arns.listenerKey(listenerArn) + "/");
    }

    /** The load balancers whose listeners or rules forward to {@code targetGroupArn}. */
    List<String> loadBalancersUsing(String targetGroupArn) {
        Set<String> out = new LinkedHashSet<>();
        for (Listener l : state.values(Kind.LISTENER, "")) {
            if (forwardsTo(l.defaultActions(), targetGroupArn)) {
                out.add(l.loadBalancerArn());
            }
        }
        for (Rule r : state.values(Kind.RULE, "")) {
            if (forwardsTo(r.actions(), targetGroupArn)) {
                out.add(Arns.loadBalancerOfListener(r.listenerArn()));
            }
        }
        return List.copyOf(out);
    }

    static boolean forwardsTo(List<Action> actions, String targetGroupArn) {
        return actions.stream().anyMatch(a -> a.targetGroupArns().contains(targetGroupArn));
    }
}
