package io.berth.lb.proxy;

import io.berth.lb.model.TargetGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A target group in the data plane: its configuration and backends, and the choice of a backend for
 * a request.
 *
 * <p>Candidates are the healthy backends that are not draining; when there is none, every
 * backend that is not draining (ALB fails open). {@code round_robin} takes them in turn;
 * {@code least_outstanding_requests} the one with the fewest requests in flight. A backend in its
 * slow-start window takes a share that grows linearly to its full share.
 *
 * <p>Thread-safety: configuration and candidates are volatile snapshots replaced whole by the
 * reconciler and the health monitor ({@link #refresh}); {@link #pick} runs on any event loop.
 */
final class GroupRuntime {
    final String arn;
    volatile TargetGroup config;
    volatile Map<String, Backend> backends = Map.of();
    volatile boolean inUse;
    private volatile Backend[] candidates = new Backend[0];
    private final AtomicLong next = new AtomicLong();

    GroupRuntime(TargetGroup config) {
        this.arn = config.arn();
        this.config = config;
    }

    static String key(String id, int port) {
        return id + ":" + port;
    }

    /** Recomputes the candidates after a change of backends or of their health. */
    void refresh() {
        List<Backend> healthy = new ArrayList<>();
        List<Backend> all = new ArrayList<>();
        for (Backend b : backends.values()) {
            if (b.draining || b.address == null) {
                continue;
            }
            all.add(b);
            boolean checked = config.healthCheck().enabled();
            if (!checked || b.healthy()) {
                healthy.add(b);
            }
        }
        candidates = (healthy.isEmpty() ? all : healthy).toArray(new Backend[0]);
    }

    /** The backend for the next request, or null when the group has no registered target. */
    Backend pick() {
        Backend[] c = candidates;
        int n = c.length;
        if (n == 0) {
            return null;
        }
        if (n == 1) {
            return c[0];
        }
        long start = next.getAndIncrement();
        int slowStart = config.slowStartSeconds();
        long now = slowStart > 0 ? System.nanoTime() : 0;
        if ("least_outstanding_requests".equals(config.algorithm())) {
            Backend best = null;
            int bestLoad = Integer.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                Backend b = c[(int) ((start + i) % n)];
                int load = b.inFlight.get();
                if (load < bestLoad && admitted(b, slowStart, now)) {
                    best = b;
                    bestLoad = load;
                }
            }
            return best != null ? best : c[(int) (start % n)];
        }
        for (int i = 0; i < n; i++) {
            Backend b = c[(int) ((start + i) % n)];
            if (admitted(b, slowStart, now)) {
                return b;
            }
        }
        return c[(int) (start % n)];
    }

    private static boolean admitted(Backend b, int slowStartSeconds, long now) {
        if (slowStartSeconds <= 0 || b.healthySince == 0) {
            return true;
        }
        double elapsed = (now - b.healthySince) / 1e9;
        if (elapsed >= slowStartSeconds) {
            return true;
        }
        return ThreadLocalRandom.current().nextDouble() * slowStartSeconds < Math.max(elapsed, 0.05 * slowStartSeconds);
    }
}
