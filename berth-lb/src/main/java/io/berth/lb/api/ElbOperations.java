package io.berth.lb.api;

import io.berth.aws.query.QueryService;
import io.berth.lb.TargetResolver;
import io.berth.lb.health.HealthView;
import io.berth.lb.state.Arns;
import io.berth.lb.state.LbState;
import java.time.InstantSource;

/** Registers every ELBv2 operation Berth implements on a query service builder. */
public final class ElbOperations {
    private ElbOperations() {
    }

    public static QueryService.Builder register(QueryService.Builder b, LbState state, Arns arns,
                                                TargetResolver resolver, InstantSource clock, HealthView health) {
        return register(b, state, arns, resolver, clock, health, null);
    }

    /** As {@link #register}, and hands {@code directory} (when not null) the target directory over the same state. */
    public static QueryService.Builder register(QueryService.Builder b, LbState state, Arns arns,
                                                TargetResolver resolver, InstantSource clock, HealthView health,
                                                java.util.function.Consumer<TargetDirectory> directory) {
        Lookup lookup = new Lookup(state, arns);
        LoadBalancerOperations lbs = new LoadBalancerOperations(lookup, clock);
        TargetGroupOperations tgs = new TargetGroupOperations(lookup, resolver, clock);
        TargetOperations targets = new TargetOperations(lookup, resolver, clock, health);
        if (directory != null) {
            directory.accept(new TargetDirectory(lookup, targets));
        }
        ListenerOperations listeners = new ListenerOperations(lookup);
        RuleOperations rules = new RuleOperations(lookup);
        Tagging tags = new Tagging(lookup);
        return b.operation("CreateLoadBalancer", lbs::createLoadBalancer)
                .operation("DescribeLoadBalancers", lbs::describeLoadBalancers)
                .operation("DeleteLoadBalancer", lbs::deleteLoadBalancer)
                .operation("ModifyLoadBalancerAttributes", lbs::modifyLoadBalancerAttributes)
                .operation("DescribeLoadBalancerAttributes", lbs::describeLoadBalancerAttributes)
                .operation("SetSecurityGroups", lbs::setSecurityGroups)
                .operation("CreateTargetGroup", tgs::createTargetGroup)
                .operation("DescribeTargetGroups", tgs::describeTargetGroups)
                .operation("ModifyTargetGroup", tgs::modifyTargetGroup)
                .operation("ModifyTargetGroupAttributes", tgs::modifyTargetGroupAttributes)
                .operation("DescribeTargetGroupAttributes", tgs::describeTargetGroupAttributes)
                .operation("DeleteTargetGroup", tgs::deleteTargetGroup)
                .operation("RegisterTargets", targets::registerTargets)
                .operation("DeregisterTargets", targets::deregisterTargets)
                .operation("DescribeTargetHealth", targets::describeTargetHealth)
                .operation("CreateListener", listeners::createListener)
                .operation("DescribeListeners", listeners::describeListeners)
                .operation("ModifyListener", listeners::modifyListener)
                .operation("DeleteListener", listeners::deleteListener)
                .operation("CreateRule", rules::createRule)
                .operation("DescribeRules", rules::describeRules)
                .operation("ModifyRule", rules::modifyRule)
                .operation("DeleteRule", rules::deleteRule)
                .operation("SetRulePriorities", rules::setRulePriorities)
                .operation("AddTags", tags::addTags)
                .operation("RemoveTags", tags::removeTags)
                .operation("DescribeTags", tags::describeTags);
    }
}
