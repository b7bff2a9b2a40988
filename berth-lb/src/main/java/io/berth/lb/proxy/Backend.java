package io.berth.lb.proxy;

import io.berth.lb.health.HealthStateMachine;
import io.berth.lb.health.TargetHealth;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One registered target as the data plane sees it: where it is, how many requests it has in flight,
 * its checked health, whether it drains, and its idle upstream connections.
 *
 * <p>Thread-safety: the flags and the health are volatile (written by the reconciler and the health
 * monitor, read by every event loop); {@code inFlight} is atomic; each event loop has its own pool
 * deque, touched only on that loop.
 */
final class Backend {
    final String id;
    final int port;
    final InetSocketAddress address;
    final AtomicInteger inFlight = new AtomicInteger();
    private final Map<EventLoop, ArrayDeque<Channel>> pools = new ConcurrentHashMap<>();
    volatile boolean draining;
    volatile boolean retired;
    /** When the target last became healthy ({@link System#nanoTime}), for slow start; 0 when never. */
    volatile long healthySince;
    private HealthStateMachine.Status status = HealthStateMachine.Status.NEW;

    Backend(String id, int port, InetSocketAddress address) {
        this.id = id;
        this.port = port;
        this.address = address;
    }

    synchronized TargetHealth health() {
        return status.health();
    }

    synchronized boolean healthy() {
        return status.health().healthy();
    }

    /** Applies one check result; returns whether the reported state changed. */
    synchronized boolean record(TargetHealth failure, int healthyThreshold, int unhealthyThreshold) {
        HealthStateMachine.Status next = HealthStateMachine.next(status, failure, healthyThreshold, unhealthyThreshold);
        boolean changed = !next.health().state().equals(status.health().state());
        if (changed && next.health().healthy()) {
            healthySince = System.nanoTime();
        }
        status = next;
        return changed;
    }

    /** An idle connection of this loop that is still open, or null. Call on {@code loop}. */
    Channel acquire(EventLoop loop) {
        ArrayDeque<Channel> pool = pools.get(loop);
        if (pool == null) {
            return null;
        }
        Channel ch;
        while ((ch = pool.pollLast()) != null) {
            if (ch.isActive()) {
                return ch;
            }
        }
        return null;
    }

    /** Keeps an idle connection for reuse on its loop. Call on the channel's loop. */
    void release(Channel ch) {
        if (retired || !ch.isActive()) {
            ch.close();
            return;
        }
        ArrayDeque<Channel> pool = pools.computeIfAbsent(ch.eventLoop(), l -> new ArrayDeque<>());
        if (pool.size() >= 256) {
            ch.close();
            return;
        }
        pool.addLast(ch);
    }

    /** Forgets a closed connection. Call on the channel's loop. */
    void forget(Channel ch) {
        ArrayDeque<Channel> pool = pools.get(ch.eventLoop());
        if (pool != null) {
            pool.remove(ch);
        }
    }

    /** Stops pooling and closes the idle connections (in-flight ones finish and then close). */
    void retire() {
        retired = true;
        pools.forEach((loop, pool) -> loop.execute(() -> {
            Channel ch;
            while ((ch = pool.pollFirst()) != null) {
                ch.close();
            }
        }));
    }

    @Override
    public String toString() {
        return id + ":" + port;
    }
}
