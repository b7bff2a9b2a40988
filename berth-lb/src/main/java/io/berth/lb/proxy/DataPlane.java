package io.berth.lb.proxy;

import io.berth.core.store.Change;
import io.berth.lb.TargetResolver;
import io.berth.lb.health.HealthProbe;
import io.berth.lb.health.HealthView;
import io.berth.lb.health.TargetHealth;
import io.berth.lb.model.HealthCheck;
import io.berth.lb.model.Listener;
import io.berth.lb.model.LoadBalancer;
import io.berth.lb.model.Registrations;
import io.berth.lb.model.Rule;
import io.berth.lb.model.TargetGroup;
import io.berth.lb.state.Arns;
import io.berth.lb.state.Kind;
import io.berth.lb.state.LbState;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load balancer's data plane in this process: the listeners' open ports, the target groups'
 * backends and their active health checks, all following the configuration in the store.
 *
 * <p>A reconcile loop (one thread) rebuilds the routing configuration whenever the change feed shows
 * a load balancer aggregate changed, and at least every second (to end deregistration delays, whose
 * expired entries it also removes from the store). Listeners open, move and close with their
 * configuration; a port that cannot be bound is retried on every pass. A health tick (one thread)
 * starts each in-use group's checks at its interval; results move targets through
 * {@link io.berth.lb.health.HealthStateMachine}. Close stops everything.
 */
public final class DataPlane implements HealthView, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);

    /**
     * @param host the address listeners bind ({@code 127.0.0.1} by default)
     * @param ioThreads Netty event loops shared by all listeners and target connections
     * @param healthCheckTimeScale multiplies health check intervals and timeouts (1 in production;
     *     tests shorten them)
     */
    public record Settings(String host, int ioThreads, double healthCheckTimeScale) {
    }

    private final LbState state;
    private final TargetResolver resolver;
    private final InstantSource clock;
    private final Settings settings;
    private final EventLoopGroup group;
    private final Map<String, GroupRuntime> groups = new ConcurrentHashMap<>();
    private final Map<String, ListenerServer> servers = new HashMap<>();
    private final Map<String, Integer> failedBinds = new HashMap<>();
    private final Map<String, Long> nextCheck = new ConcurrentHashMap<>();
    private final Set<Backend> checking = ConcurrentHashMap.newKeySet();
    private final Semaphore wake = new Semaphore(0);
    private final HealthProbe probe = new HealthProbe();
    private final ScheduledExecutorService healthTicks;
    private final Thread reconciler;
    private final AutoCloseable subscription;
    private volatile boolean closed;

    public DataPlane(LbState state, TargetResolver resolver, InstantSource clock, Settings settings) {
        this.state = state;
        this.resolver = resolver;
        this.clock = clock;
        this.settings = settings;
        this.group = new NioEventLoopGroup(settings.ioThreads(), new DefaultThreadFactory("lb-io", true));
        reconcile();
        this.subscription = state.store().subscribe(state.store().lastSequence(), this::onChange);
        this.reconciler = Thread.ofPlatform().name("lb-reconcile").daemon().start(this::loop);
        this.healthTicks = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
                .name("lb-health").daemon().unstarted(r));
        healthTicks.scheduleWithFixedDelay(this::healthTick, 50, 100, TimeUnit.MILLISECONDS);
    }

    private void onChange(Change change) {
        if (change.kind().startsWith(Kind.PREFIX)) {
            wake.release();
        }
    }

    private void loop() {
        while (!closed) {
            try {
                wake.tryAcquire(1, TimeUnit.SECONDS);
                wake.drainPermits();
                if (!closed) {
                    reconcile();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("load balancer reconcile failed; retrying", e);
            }
        }
    }

    /** Brings listeners and groups in line with the store. Called on the reconcile thread (and once at start). */
    synchronized void reconcile() {
        Instant now = clock.instant();
        Map<String, LoadBalancer> lbs = state.values(Kind.LOAD_BALANCER, "").stream()
                .collect(Collectors.toMap(LoadBalancer::arn, lb -> lb));
        List<Listener> listeners = state.values(Kind.LISTENER, "");
        Map<String, List<Rule>> rules = state.values(Kind.RULE, "").stream()
                .collect(Collectors.groupingBy(Rule::listenerArn));
        Set<String> inUse = new HashSet<>();
        for (Listener l : listeners) {
            l.defaultActions().forEach(a -> inUse.addAll(a.targetGroupArns()));
            rules.getOrDefault(l.arn(), List.of()).forEach(r -> r.actions().forEach(a -> inUse.addAll(a.targetGroupArns())));
        }
        Set<String> present = new HashSet<>();
        for (TargetGroup tg : state.values(Kind.TARGET_GROUP, "")) {
            present.add(tg.arn());
            Optional<LbState.Read<Registrations>> regs = state.get(Kind.TARGETS, tg.name());
            sweep(regs, now);
            GroupRuntime g = groups.computeIfAbsent(tg.arn(), a -> new GroupRuntime(tg));
            g.config = tg;
            g.inUse = inUse.contains(tg.arn());
            Map<String, Backend> old = g.backends;
            Map<String, Backend> next = new HashMap<>();
            for (Registrations.Target t : regs.map(r -> r.value().targets()).orElse(List.of())) {
                if (t.draining() && !t.drainingUntil().isAfter(now)) {
                    continue;
                }
                String key = GroupRuntime.key(t.id(), t.port());
                Backend b = old.get(key);
                if (b == null) {
                    b = new Backend(t.id(), t.port(), address(tg, t));
                }
                b.draining = t.draining();
                next.put(key, b);
            }
            old.forEach((key, b) -> {
                if (!next.containsKey(key)) {
                    b.retire();
                }
            });
            g.backends = Map.copyOf(next);
            g.refresh();
        }
        groups.keySet().removeIf(arn -> {
            if (present.contains(arn)) {
                return false;
            }
            groups.get(arn).backends.values().forEach(Backend::retire);
            return true;
        });
        Map<String, GroupRuntime> snapshot = Map.copyOf(groups);
        Set<String> live = new HashSet<>();
        for (Listener l : listeners) {
            LoadBalancer lb = lbs.get(l.loadBalancerArn());
            if (lb == null) {
                continue;
            }
            String key = Arns.listenerKey(l.arn());
            live.add(key);
            ListenerConfig config = new ListenerConfig(l.port(),
                    RoutingTable.compile(rules.getOrDefault(l.arn(), List.of()), l.defaultActions()), snapshot,
                    lb.idleTimeoutSeconds());
            ListenerServer server = servers.get(key);
            if (server != null && server.port() != l.port()) {
                server.close();
                servers.remove(key);
                server = null;
            }
            if (server == null) {
                try {
                    servers.put(key, ListenerServer.open(group, NioServerSocketChannel.class, settings.host(), config));
                    failedBinds.remove(key);
                } catch (Exception e) {
                    if (!Integer.valueOf(l.port()).equals(failedBinds.put(key, l.port()))) {
                        LOG.warn("listener {} cannot open {}:{}: {}; retrying", l.arn(), settings.host(), l.port(),
                                e.toString());
                    }
                }
            } else {
                server.config(config);
            }
        }
        servers.entrySet().removeIf(e -> {
            if (live.contains(e.getKey())) {
                return false;
            }
            e.getValue().close();
            return true;
        });
        failedBinds.keySet().retainAll(live);
    }

    private InetSocketAddress address(TargetGroup tg, Registrations.Target t) {
        String host = "instance".equals(tg.targetType()) ? resolver.hostOf(t.id()).orElse(null) : t.id();
        return host == null ? null : new InetSocketAddress(host, t.port());
    }

    /** Removes targets whose deregistration delay is over from the store. */
    private void sweep(Optional<LbState.Read<Registrations>> read, Instant now) {
        if (read.isEmpty()) {
            return;
        }
        List<Registrations.Target> kept = read.get().value().targets().stream()
                .filter(t -> !t.draining() || t.drainingUntil().isAfter(now)).toList();
        if (kept.size() != read.get().value().targets().size()) {
            try {
                state.commit(List.of(read.get().update(new Registrations(read.get().value().targetGroupArn(), kept))));
            } catch (RuntimeException e) {
                // another writer was first; the next pass sweeps again
            }
        }
    }

    private void healthTick() {
        try {
            long now = System.nanoTime();
            for (GroupRuntime g : groups.values()) {
                HealthCheck hc = g.config.healthCheck();
                if (!g.inUse || !hc.enabled()) {
                    continue;
                }
                Long due = nextCheck.get(g.arn);
                if (due != null && now - due < 0) {
                    continue;
                }
                nextCheck.put(g.arn, now + (long) (hc.intervalSeconds() * 1e9 * settings.healthCheckTimeScale()));
                Duration timeout = Duration.ofMillis(Math.max(50,
                        (long) (hc.timeoutSeconds() * 1000 * settings.healthCheckTimeScale())));
                for (Backend b : g.backends.values()) {
                    if (b.draining || b.address == null || !checking.add(b)) {
                        continue;
                    }
                    probe.check(b.address.getHostString(), hc.portFor(b.port), hc.path(), timeout, hc::matches)
                            .thenAccept(failure -> {
                                checking.remove(b);
                                if (b.record(failure, hc.healthyThreshold(), hc.unhealthyThreshold())) {
                                    g.refresh();
                                }
                            });
                }
            }
            nextCheck.keySet().retainAll(groups.keySet());
        } catch (RuntimeException e) {
            LOG.warn("health check tick failed", e);
        }
    }

    @Override
    public TargetHealth of(String targetGroupArn, String id, int port) {
        GroupRuntime g = groups.get(targetGroupArn);
        Backend b = g == null ? null : g.backends.get(GroupRuntime.key(id, port));
        if (b == null) {
            return TargetHealth.REGISTERING;
        }
        if (b.address == null) {
            return new TargetHealth("unused", "Target.InvalidState", "Target is in the stopped state");
        }
        return b.health();
    }

    /** The ports listeners have open now, by listener ARN key (for tests and tools). */
    public synchronized Map<String, Integer> openPorts() {
        Map<String, Integer> out = new HashMap<>();
        servers.forEach((k, s) -> out.put(k, s.port()));
        return out;
    }

    /** Runs a reconcile pass now and waits for it (tests use it instead of waiting for the feed). */
    public void refresh() {
        reconcile();
    }

    @Override
    public void close() {
        closed = true;
        wake.release();
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.debug("closing the change feed subscription", e);
        }
        healthTicks.shutdownNow();
        reconciler.interrupt();
        try {
            reconciler.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            servers.values().forEach(ListenerServer::close);
            servers.clear();
        }
        probe.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
