package io.berth.scheduler.placement;

/**
 * Why an instance could not take a task: the {@code reason} of a RunTask {@code failures[]}
 * entry, as ECS spells it.
 *
 * <p>Sources: ECS developer guide, "API failure reasons" (api_failures_messages): RunTask's
 * {@code RESOURCE:*} ("CPU, memory, ports"), {@code AGENT} ("has an agent that is currently
 * disconnected") and StartTask's {@code INACTIVE}. {@code RESOURCE:PORTS_UDP} and the two
 * constraint sentences, with their final period, are what ECS returns but the guide does not
 * list: a RunTask response {@code "reason": "DistinctInstance placement constraint unsatisfied."}
 * and the service event "encountered error \"MemberOf placement constraint unsatisfied.\"", both
 * reported by users.
 */
public final class VetoReasons {
    /** The instance is not ACTIVE (DRAINING or deregistered): Berth uses StartTask's reason for both. */
    public static final String INACTIVE = "INACTIVE";
    public static final String AGENT = "AGENT";
    public static final String CPU = "RESOURCE:CPU";
    public static final String MEMORY = "RESOURCE:MEMORY";
    public static final String PORTS = "RESOURCE:PORTS";
    public static final String PORTS_UDP = "RESOURCE:PORTS_UDP";
    public static final String MEMBER_OF = "MemberOf placement constraint unsatisfied.";
    public static final String DISTINCT_INSTANCE = "DistinctInstance placement constraint unsatisfied.";

    private VetoReasons() {
    }
}
