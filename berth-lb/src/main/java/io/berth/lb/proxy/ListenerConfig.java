package io.berth.lb.proxy;

import java.util.Map;

/**
 * What one listener needs per request: its rules, the target groups they may forward to, and its
 * load balancer's idle timeout. Immutable; swapped whole on a configuration change.
 */
record ListenerConfig(int port, RoutingTable table, Map<String, GroupRuntime> groups, int idleTimeoutSeconds) {
}
