package io.berth.lb.state;

import io.berth.lb.model.Listener;
import io.berth.lb.model.LoadBalancer;
import io.berth.lb.model.Registrations;
import io.berth.lb.model.Rule;
import io.berth.lb.model.TargetGroup;

/**
 * The store kinds of the load balancer and their keys:
 * <pre>
 *   elb-load-balancer  NAME                       LoadBalancer
 *   elb-target-group   NAME                       TargetGroup
 *   elb-targets        TARGET-GROUP-NAME          Registrations
 *   elb-listener       app/LB/LBID/LID            Listener      (prefix app/LB/LBID/ = one LB's listeners)
 *   elb-rule           app/LB/LBID/LID/RID        Rule          (prefix app/LB/LBID/LID/ = one listener's rules)
 *   elb-tags           ARN                        TagSet
 * </pre>
 */
public record Kind<T>(String name, Class<T> type) {
    public static final String PREFIX = "elb-";
    public static final Kind<LoadBalancer> LOAD_BALANCER = new Kind<>("elb-load-balancer", LoadBalancer.class);
    public static final Kind<TargetGroup> TARGET_GROUP = new Kind<>("elb-target-group", TargetGroup.class);
    public static final Kind<Registrations> TARGETS = new Kind<>("elb-targets", Registrations.class);
    public static final Kind<Listener> LISTENER = new Kind<>("elb-listener", Listener.class);
    public static final Kind<Rule> RULE = new Kind<>("elb-rule", Rule.class);
    public static final Kind<TagSet> TAGS = new Kind<>("elb-tags", TagSet.class);
}
