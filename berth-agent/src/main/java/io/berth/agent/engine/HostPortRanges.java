package io.berth.agent.engine;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Finds contiguous free host ports for a {@code containerPortRange} in bridge mode, as the ECS agent
 * does: from the ephemeral range, skipping ports that do not bind now and ports this agent handed out
 * in the last minute (Docker binds them only when the container starts).
 */
public final class HostPortRanges {
    /** Linux's default ephemeral range ({@code net.ipv4.ip_local_port_range}), which ECS uses too. */
    static final int FIRST = 32768;
    static final int LAST = 60999;
    private static final Duration HOLD = Duration.ofMinutes(1);

    /** Whether a port can be bound now. */
    @FunctionalInterface
    public interface Probe {
        boolean free(String address, int port, String protocol);
    }

    private static final HostPortRanges SYSTEM = new HostPortRanges(HostPortRanges::binds, InstantSource.system());

    private final Probe probe;
    private final InstantSource clock;
    private final Map<Integer, Instant> handedOut = new HashMap<>();
    private int next = FIRST;

    HostPortRanges(Probe probe, InstantSource clock) {
        this.probe = probe;
        this.clock = clock;
    }

    public static HostPortRanges system() {
        return SYSTEM;
    }

    /** The first port of {@code count} contiguous free ports on {@code address}, or empty if none. */
    public synchronized OptionalInt reserve(String address, int count, String protocol) {
        Instant now = clock.instant();
        handedOut.values().removeIf(at -> at.plus(HOLD).isBefore(now));
        int span = LAST - FIRST + 1;
        for (int scanned = 0; scanned < span; ) {
            int start = next;
            if (start + count - 1 > LAST) {
                scanned += LAST - start + 1;
                next = FIRST;
                continue;
            }
            int bad = firstUnusable(address, start, count, protocol);
            if (bad < 0) {
                for (int p = start; p < start + count; p++) {
                    handedOut.put(p, now);
                }
                next = start + count > LAST ? FIRST : start + count;
                return OptionalInt.of(start);
            }
            scanned += bad - start + 1;
            next = bad + 1 > LAST ? FIRST : bad + 1;
        }
        return OptionalInt.empty();
    }

    private int firstUnusable(String address, int start, int count, String protocol) {
        for (int p = start; p < start + count; p++) {
            if (handedOut.containsKey(p) || !probe.free(address, p, protocol)) {
                return p;
            }
        }
        return -1;
    }

    private static boolean binds(String address, int port, String protocol) {
        try {
            InetSocketAddress at = new InetSocketAddress(InetAddress.getByName(address), port);
            if ("udp".equals(protocol)) {
                try (DatagramSocket s = new DatagramSocket(at)) {
                    return s.isBound();
                }
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(at);
                return true;
            }
        } catch (IOException e) {
            return false;
        }
    }
}
