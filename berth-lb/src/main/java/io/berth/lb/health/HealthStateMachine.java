package io.berth.lb.health;

/**
 * How one health check result moves a target, as a table of (state, result) → state:
 * <pre>
 *   state      pass                               fail
 *   initial    healthy after healthyThreshold     unhealthy after unhealthyThreshold
 *              passes in a row, else initial      fails in a row, else initial
 *              (Elb.InitialHealthChecking)
 *   healthy    healthy                            unhealthy after unhealthyThreshold fails in a row
 *   unhealthy  healthy after healthyThreshold     unhealthy (reason of the last failure)
 *              passes in a row
 * </pre>
 * Pure; no I/O.
 */
public final class HealthStateMachine {
    private HealthStateMachine() {
    }

    /** A target's checked state with its current streak of like results. */
    public record Status(TargetHealth health, int passes, int failures) {
        public static final Status NEW = new Status(TargetHealth.REGISTERING, 0, 0);
    }

    /**
     * The status after one check: {@code failure} is null when the check passed, else the unhealthy
     * health it found (response code mismatch, timeout, failed).
     */
    public static Status next(Status current, TargetHealth failure, int healthyThreshold, int unhealthyThreshold) {
        String state = current.health().state();
        if (failure == null) {
            int passes = current.passes() + 1;
            if ("healthy".equals(state) || passes >= healthyThreshold) {
                return new Status(TargetHealth.HEALTHY, passes, 0);
            }
            TargetHealth stay = "initial".equals(state) ? TargetHealth.INITIAL_CHECKING : current.health();
            return new Status(stay, passes, 0);
        }
        int failures = current.failures() + 1;
        if ("unhealthy".equals(state) || failures >= unhealthyThreshold) {
            return new Status(failure, 0, failures);
        }
        TargetHealth stay = "initial".equals(state) ? TargetHealth.INITIAL_CHECKING : current.health();
        return new Status(stay, 0, failures);
    }
}
