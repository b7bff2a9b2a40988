package io.berth.server;

import io.berth.ecs.EcsApi;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic reconcile work of the control plane: forget STOPPED tasks an hour after they stopped (as
 * ECS does), and remove for good the task definitions whose deletion was requested and that no
 * task uses any more. Idempotent; safe to run again after a crash.
 */
final class Housekeeping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
    static final Duration STOPPED_TASK_RETENTION = Duration.ofHours(1);

    private final ScheduledExecutorService executor;

    private Housekeeping(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    static Housekeeping start(EcsApi.Ecs ecs) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "housekeeping");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                ecs.tasks().forgetStopped(STOPPED_TASK_RETENTION);
                java.util.Set<String> inUse = ecs.tasks().definitionsInUse();
                ecs.taskDefinitions().sweep(td -> inUse.contains(td.arn(ecs.tasks().account())), ecs.tasks().account());
            } catch (RuntimeException e) {
                LOG.warn("housekeeping failed; will try again", e);
            }
        }, 1, 1, TimeUnit.MINUTES);
        return new Housekeeping(executor);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
