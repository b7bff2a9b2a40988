package io.berth.lb.model;

/**
 * The active health check of a target group.
 *
 * @param port {@code traffic-port} (the target's own port) or a port number
 * @param matcher the HTTP codes that count as healthy: {@code 200}, {@code 200,202}, {@code 200-299}
 */
public record HealthCheck(boolean enabled, String protocol, String port, String path, int intervalSeconds,
                          int timeoutSeconds, int healthyThreshold, int unhealthyThreshold, String matcher) {
    public static final String TRAFFIC_PORT = "traffic-port";

    /** ALB's defaults for an HTTP target group of type instance or ip. */
    public static HealthCheck defaults() {
        return new HealthCheck(true, "HTTP", TRAFFIC_PORT, "/", 30, 5, 5, 2, "200");
    }

    /** Whether {@code status} is one of the matcher's codes. */
    public boolean matches(int status) {
        for (String part : matcher.split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-');
            try {
                if (dash > 0) {
                    if (status >= Integer.parseInt(p.substring(0, dash).trim())
                            && status <= Integer.parseInt(p.substring(dash + 1).trim())) {
                        return true;
                    }
                } else if (!p.isEmpty() && status == Integer.parseInt(p)) {
                    return true;
                }
            } catch (NumberFormatException ignored) {
                // validated when the group was stored
            }
        }
        return false;
    }

    /** The port probed for a target serving on {@code trafficPort}. */
    public int portFor(int trafficPort) {
        return TRAFFIC_PORT.equals(port) ? trafficPort : Integer.parseInt(port);
    }
}
