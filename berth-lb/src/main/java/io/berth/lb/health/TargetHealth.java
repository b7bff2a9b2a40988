package io.berth.lb.health;

/**
 * A target's health as DescribeTargetHealth reports it: a state of {@code TargetHealthStateEnum}
 * and, except for healthy targets, one of AWS's reason codes with its description.
 */
public record TargetHealth(String state, String reason, String description) {
    public static final TargetHealth REGISTERING = new TargetHealth("initial", "Elb.RegistrationInProgress",
            "Target registration is in progress");
    public static final TargetHealth INITIAL_CHECKING = new TargetHealth("initial", "Elb.InitialHealthChecking",
            "Initial health checks in progress");
    public static final TargetHealth HEALTHY = new TargetHealth("healthy", null, null);
    public static final TargetHealth DRAINING = new TargetHealth("draining", "Target.DeregistrationInProgress",
            "Target deregistration is in progress");
    public static final TargetHealth NOT_REGISTERED = new TargetHealth("unused", "Target.NotRegistered",
            "Target is not registered to the target group");
    public static final TargetHealth NOT_IN_USE = new TargetHealth("unused", "Target.NotInUse",
            "Target group is not configured to receive traffic from the load balancer");
    public static final TargetHealth CHECK_DISABLED = new TargetHealth("unavailable", "Target.HealthCheckDisabled",
            "Health checks are disabled");

    public static TargetHealth responseCodeMismatch(int status) {
        return new TargetHealth("unhealthy", "Target.ResponseCodeMismatch",
                "Health checks failed with these codes: [" + status + "]");
    }

    public static TargetHealth timeout() {
        return new TargetHealth("unhealthy", "Target.Timeout", "Request timed out");
    }

    public static TargetHealth failed() {
        return new TargetHealth("unhealthy", "Target.FailedHealthChecks", "Health checks failed");
    }

    public boolean healthy() {
        return "healthy".equals(state);
    }
}
