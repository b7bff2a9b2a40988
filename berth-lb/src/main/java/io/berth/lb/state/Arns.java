package io.berth.lb.state;

import io.berth.core.arn.Account;
import io.berth.core.arn.Arn;
import java.util.HexFormat;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * ARNs, ids and DNS names as ELBv2 shapes them:
 * <pre>
 *   arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/0123456789abcdef
 *   arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/0123456789abcdef
 *   arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/app/NAME/LBID/0123456789abcdef
 *   arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener-rule/app/NAME/LBID/LID/0123456789abcdef
 *   NAME-1234567890.REGION.elb.amazonaws.com   (internal-NAME-... for an internal scheme)
 * </pre>
 * Thread-safe when the random generator is.
 */
public final class Arns {
    public static final String SERVICE = "elasticloadbalancing";
    private final Account account;
    private final RandomGenerator random;

    public Arns(Account account, RandomGenerator random) {
        this.account = account;
        this.random = random;
    }

    public Account account() {
        return account;
    }

    public String newId() {
        synchronized (random) {
            return HexFormat.of().toHexDigits(random.nextLong());
        }
    }

    public String dnsName(String name, String scheme) {
        long number;
        synchronized (random) {
            number = 100_000_000L + random.nextLong(1_900_000_000L);
        }
        return ("internal".equals(scheme) ? "internal-" : "") + name + "-" + number + "." + account.region()
                + ".elb.amazonaws.com";
    }

    public String loadBalancer(String name, String id) {
        return arn("loadbalancer/app/" + name + "/" + id);
    }

    public String targetGroup(String name, String id) {
        return arn("targetgroup/" + name + "/" + id);
    }

    public String listener(String key) {
        return arn("listener/" + key);
    }

    public String rule(String key) {
        return arn("listener-rule/" + key);
    }

    private String arn(String resource) {
        return account.arn(SERVICE, resource).toString();
    }

    /** The resource part after {@code type/} of an ARN of this account and region, or empty. */
    public Optional<String> resource(String arn, String type) {
        Optional<Arn> parsed = Arn.parse(arn);
        if (parsed.isEmpty() || !SERVICE.equals(parsed.get().service())
                || !account.accountId().equals(parsed.get().account())
                || !account.region().equals(parsed.get().region())
                || !type.equals(parsed.get().resourceType())) {
            return Optional.empty();
        }
        return Optional.of(parsed.get().resourceId());
    }

    /** The name of a load balancer ({@code app/NAME/ID}) or target group ({@code NAME/ID}) resource. */
    public static String nameOf(String resource) {
        String[] parts = resource.split("/");
        return parts.length >= 2 ? parts[parts.length - 2] : resource;
    }

    /** {@code app/NAME/ID} of a load balancer ARN's resource, the prefix of its listeners' keys. */
    public static String loadBalancerKey(String loadBalancerArn) {
        return loadBalancerArn.substring(loadBalancerArn.indexOf(":loadbalancer/") + ":loadbalancer/".length());
    }

    /** The ARN of the load balancer a listener ARN belongs to. */
    public static String loadBalancerOfListener(String listenerArn) {
        String lb = listenerArn.replace(":listener/", ":loadbalancer/");
        return lb.substring(0, lb.lastIndexOf('/'));
    }

    /** The key of a rule from its ARN. */
    public static String ruleKey(String ruleArn) {
        return ruleArn.substring(ruleArn.indexOf(":listener-rule/") + ":listener-rule/".length());
    }

    /** The key of a listener from its ARN. */
    public static String listenerKey(String listenerArn) {
        return listenerArn.substring(listenerArn.indexOf(":listener/") + ":listener/".length());
    }
}
