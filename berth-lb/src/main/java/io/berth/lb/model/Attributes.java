package io.berth.lb.model;

import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The attributes of load balancers and target groups: every key AWS reports for an application
 * load balancer and an HTTP target group, their defaults, and the checks on the values Berth acts
 * on. Keys Berth stores but does not act on (access logs, WAF, stickiness, ...) are accepted as AWS
 * accepts them and reported back.
 */
public final class Attributes {
    public static final String IDLE_TIMEOUT = "idle_timeout.timeout_seconds";
    public static final String DELETION_PROTECTION = "deletion_protection.enabled";
    public static final String DEREGISTRATION_DELAY = "deregistration_delay.timeout_seconds";
    public static final String SLOW_START = "slow_start.duration_seconds";
    public static final String ALGORITHM = "load_balancing.algorithm.type";

    private static final Map<String, String> LOAD_BALANCER = new TreeMap<>(Map.ofEntries(
            Map.entry("access_logs.s3.enabled", "false"),
            Map.entry("access_logs.s3.bucket", ""),
            Map.entry("access_logs.s3.prefix", ""),
            Map.entry("connection_logs.s3.enabled", "false"),
            Map.entry("connection_logs.s3.bucket", ""),
            Map.entry("connection_logs.s3.prefix", ""),
            Map.entry(DELETION_PROTECTION, "false"),
            Map.entry(IDLE_TIMEOUT, "60"),
            Map.entry("client_keep_alive.seconds", "3600"),
            Map.entry("routing.http.desync_mitigation_mode", "defensive"),
            Map.entry("routing.http.drop_invalid_header_fields.enabled", "false"),
            Map.entry("routing.http.preserve_host_header.enabled", "false"),
            Map.entry("routing.http.x_amzn_tls_version_and_cipher_suite.enabled", "false"),
            Map.entry("routing.http.xff_client_port.enabled", "false"),
            Map.entry("routing.http.xff_header_processing.mode", "append"),
            Map.entry("routing.http2.enabled", "true"),
            Map.entry("waf.fail_open.enabled", "false"),
            Map.entry("load_balancing.cross_zone.enabled", "true"),
            Map.entry("zonal_shift.config.enabled", "false")));

    private static final Map<String, String> TARGET_GROUP = new TreeMap<>(Map.ofEntries(
            Map.entry(DEREGISTRATION_DELAY, "300"),
            Map.entry(SLOW_START, "0"),
            Map.entry(ALGORITHM, "round_robin"),
            Map.entry("load_balancing.algorithm.anomaly_mitigation", "off"),
            Map.entry("load_balancing.cross_zone.enabled", "use_load_balancer_configuration"),
            Map.entry("stickiness.enabled", "false"),
            Map.entry("stickiness.type", "lb_cookie"),
            Map.entry("stickiness.lb_cookie.duration_seconds", "86400"),
            Map.entry("stickiness.app_cookie.cookie_name", ""),
            Map.entry("stickiness.app_cookie.duration_seconds", "86400"),
            Map.entry("target_group_health.dns_failover.minimum_healthy_targets.count", "1"),
            Map.entry("target_group_health.dns_failover.minimum_healthy_targets.percentage", "off"),
            Map.entry("target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1"),
            Map.entry("target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off")));

    private static final Set<String> BOOLEANS = Set.of("true", "false");

    private Attributes() {
    }

    public static Map<String, String> loadBalancerDefaults() {
        return LOAD_BALANCER;
    }

    public static Map<String, String> targetGroupDefaults() {
        return TARGET_GROUP;
    }

    /** {@code current} with {@code changes} applied, or a ValidationError naming the first bad one. */
    public static Map<String, String> applyToLoadBalancer(Map<String, String> current, Map<String, String> changes) {
        return apply("Load balancer", LOAD_BALANCER, current, changes);
    }

    public static Map<String, String> applyToTargetGroup(Map<String, String> current, Map<String, String> changes) {
        return apply("Target group", TARGET_GROUP, current, changes);
    }

    private static Map<String, String> apply(String what, Map<String, String> known, Map<String, String> current,
                                             Map<String, String> changes) {
        Map<String, String> out = new LinkedHashMap<>(current);
        for (Map.Entry<String, String> e : changes.entrySet()) {
            String key = e.getKey();
            String value = e.getValue() == null ? "" : e.getValue();
            if (!known.containsKey(key)) {
                throw new BerthException(ErrorCode.VALIDATION, what + " attribute key '" + key + "' is not recognized");
            }
            check(key, value);
            out.put(key, value);
        }
        return out;
    }

    private static void check(String key, String value) {
        switch (key) {
            case IDLE_TIMEOUT -> range(key, value, 1, 4000);
            case "client_keep_alive.seconds" -> range(key, value, 60, 604800);
            case DEREGISTRATION_DELAY -> range(key, value, 0, 3600);
            case "stickiness.lb_cookie.duration_seconds", "stickiness.app_cookie.duration_seconds" ->
                    range(key, value, 1, 604800);
            case SLOW_START -> {
                range(key, value, 0, 900);
                if (!value.equals("0") && Integer.parseInt(value) < 30) {
                    throw invalid(key, value, "must be 0 (off) or between 30 and 900");
                }
            }
            case ALGORITHM -> one(key, value, Set.of("round_robin", "least_outstanding_requests", "weighted_random"));
            case "stickiness.type" -> one(key, value, Set.of("lb_cookie", "app_cookie"));
            case "routing.http.desync_mitigation_mode" -> one(key, value, Set.of("monitor", "defensive", "strictest"));
            case "routing.http.xff_header_processing.mode" -> one(key, value, Set.of("append", "preserve", "remove"));
            case "load_balancing.algorithm.anomaly_mitigation" -> one(key, value, Set.of("on", "off"));
            case "load_balancing.cross_zone.enabled" -> one(key, value,
                    Set.of("true", "false", "use_load_balancer_configuration"));
            default -> {
                if (key.endsWith(".enabled")) {
                    one(key, value, BOOLEANS);
                }
            }
        }
    }

    private static void range(String key, String value, int min, int max) {
        Predicate<String> ok = v -> {
            try {
                int n = Integer.parseInt(v);
                return n >= min && n <= max;
            } catch (NumberFormatException e) {
                return false;
            }
        };
        if (!ok.test(value)) {
            throw invalid(key, value, "must be an integer between " + min + " and " + max);
        }
    }

    private static void one(String key, String value, Set<String> allowed) {
        if (!allowed.contains(value)) {
            throw invalid(key, value, "must be one of " + new java.util.TreeSet<>(allowed));
        }
    }

    private static BerthException invalid(String key, String value, String rule) {
        return new BerthException(ErrorCode.VALIDATION,
                "The value of attribute '" + key + "' is not valid: '" + value + "' (" + rule + ")");
    }
}
