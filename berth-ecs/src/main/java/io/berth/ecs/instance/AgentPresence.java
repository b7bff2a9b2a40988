package io.berth.ecs.instance;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each instance's agent was last heard from. Not durable: after a server restart every agent is
 * disconnected until it calls again (within a heartbeat). {@code agentConnected} is true while the
 * last contact is younger than the timeout (three missed heartbeats). Thread-safe.
 */
public final class AgentPresence {
    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
    private final InstantSource clock;
    private final Duration timeout;

    public AgentPresence(InstantSource clock, Duration timeout) {
        this.clock = clock;
        this.timeout = timeout;
    }

    public void seen(String instanceKey) {
        lastSeen.put(instanceKey, clock.instant());
    }

    public void forget(String instanceKey) {
        lastSeen.remove(instanceKey);
    }

    public boolean connected(String instanceKey) {
        Instant until = connectedUntil(instanceKey);
        return until != null && until.isAfter(clock.instant());
    }

    /** Until when the instance's agent counts as connected (unless seen again), null if never seen. */
    public Instant connectedUntil(String instanceKey) {
        Instant at = lastSeen.get(instanceKey);
        return at == null ? null : at.plus(timeout);
    }
}
