package io.berth.ecs.service;

import io.berth.core.store.Change;
import io.berth.core.store.StateStore;
import io.berth.core.store.Versioned;
import io.berth.ecs.instance.ContainerInstances;
import io.berth.ecs.tag.Tags;
import io.berth.ecs.task.Tasks;
import io.berth.ecs.taskdef.TaskDefinitions;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service scheduler: one thread that reconciles every ACTIVE or DRAINING service, woken by the
 * store's change feed (a task, instance or service changed) and at least once a {@link #TICK}.
 * Each pass plans every service afresh from the store, so a pass may run any number of times and a
 * restarted server simply carries on. {@link #close()} stops the thread.
 */
public final class ServiceController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceController.class);
    /** The longest time between two passes. */
    public static final Duration TICK = Duration.ofSeconds(1);
    /** How long a task without health checks runs before it counts as healthy (ECS: 40 s). */
    public static final Duration SETTLE = Duration.ofSeconds(40);

    private final StateStore store;
    private final Services services;
    private final Tasks tasks;
    private final TaskDefinitions definitions;
    private final Reconciler reconciler;
    private final io.berth.core.metrics.Metrics metrics;
    private final BlockingQueue<Boolean> wake = new ArrayBlockingQueue<>(1);
    private volatile boolean running;
    private Thread thread;
    private AutoCloseable subscription;

    public ServiceController(StateStore store, Services services, Tasks tasks, TaskDefinitions definitions, Tags tags,
                             InstantSource clock, Duration settle) {
        this(store, services, tasks, definitions, tags, clock, settle, TargetRegistry.none(),
                io.berth.core.metrics.Metrics.NONE);
    }

    /** A scheduler whose services may run behind load balancers, through {@code targets}. */
    public ServiceController(StateStore store, Services services, Tasks tasks, TaskDefinitions definitions, Tags tags,
                             InstantSource clock, Duration settle, TargetRegistry targets) {
        this(store, services, tasks, definitions, tags, clock, settle, targets, io.berth.core.metrics.Metrics.NONE);
    }

    /** As above, timing each pass in {@code metrics}. */
    public ServiceController(StateStore store, Services services, Tasks tasks, TaskDefinitions definitions, Tags tags,
                             InstantSource clock, Duration settle, io.berth.core.metrics.Metrics metrics) {
        this(store, services, tasks, definitions, tags, clock, settle, TargetRegistry.none(), metrics);
    }

    /**
     * A scheduler whose services may run behind load balancers, through {@code targets}, timing each
     * pass ({@code berth.controller.pass}, tag controller=service) in {@code metrics}.
     */
    public ServiceController(StateStore store, Services services, Tasks tasks, TaskDefinitions definitions, Tags tags,
                             InstantSource clock, Duration settle, TargetRegistry targets,
                             io.berth.core.metrics.Metrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.services = services;
        this.tasks = tasks;
        this.definitions = definitions;
        this.reconciler = new Reconciler(services, tasks, tags, clock, settle, targets);
    }

    /** Starts the thread and the change feed subscription. */
    public synchronized ServiceController start() {
        if (running) {
            return this;
        }
        running = true;
        subscription = store.subscribe(store.lastSequence(), this::changed);
        thread = new Thread(this::loop, "service-scheduler");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void changed(Change change) {
        String kind = change.kind();
        if (kind.equals(Tasks.KIND) || kind.equals(ContainerInstances.KIND) || kind.equals(Services.KIND)) {
            wake();
        }
    }

    /** Asks for a pass soon. Never blocks. */
    public void wake() {
        wake.offer(Boolean.TRUE);
    }

    private void loop() {
        while (running) {
            try {
                wake.poll(TICK.toMillis(), TimeUnit.MILLISECONDS);
                // let a burst of changes (an agent's report of many tasks) settle into one pass
                Thread.sleep(5);
                wake.clear();
            } catch (InterruptedException e) {
                return;
            }
            if (!running) {
                return;
            }
            long start = System.nanoTime();
            String outcome = "ok";
            try {
                reconcileAll();
            } catch (RuntimeException e) {
                outcome = "failed";
                LOG.warn("service scheduler pass failed; will try again", e);
            }
            metrics.time("berth.controller.pass", Duration.ofNanos(System.nanoTime() - start),
                    "controller", "service", "outcome", outcome);
        }
    }

    /** One pass over every ACTIVE or DRAINING service. What the thread runs; callable from tests. */
    public void reconcileAll() {
        Map<String, List<Versioned>> byCluster = new LinkedHashMap<>();
        for (Versioned v : services.scheduled()) {
            String cluster = v.key().substring(0, v.key().indexOf('/'));
            byCluster.computeIfAbsent(cluster, k -> new ArrayList<>()).add(v);
        }
        ServiceTasks.HealthChecks checks = new ServiceTasks.HealthChecks(definitions);
        for (Map.Entry<String, List<Versioned>> e : byCluster.entrySet()) {
            ServiceTasks view = ServiceTasks.of(tasks, e.getKey());
            for (Versioned v : e.getValue()) {
                try {
                    reconciler.reconcile(v, view, checks);
                } catch (RuntimeException ex) {
                    LOG.warn("reconciling service {} failed; will try again", v.key(), ex);
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                LOG.debug("closing the change feed subscription", e);
            }
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
