package io.berth.registry;

import io.berth.registry.blob.BlobStore;
import io.berth.registry.gc.GarbageCollector;
import io.berth.registry.lifecycle.LifecycleEnforcer;
import io.berth.registry.scan.ImageScanner;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's periodic jobs on one daemon thread: lifecycle policy enforcement (of every policy on
 * schedule, and of one repository's shortly after a push to it) and garbage collection; and the
 * image scanner's pool. A failing run is logged and the next one runs on schedule. Closing stops the
 * jobs (waiting for a run in progress) and closes the blob store.
 */
final class RegistryBackground implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryBackground.class);

    private final ScheduledExecutorService executor;
    private final BlobStore blobs;
    private final ImageScanner scanner;
    private final LifecycleEnforcer lifecycle;
    private final Duration afterPush;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    private RegistryBackground(ScheduledExecutorService executor, ImageScanner scanner, BlobStore blobs,
                               LifecycleEnforcer lifecycle, Duration afterPush) {
        this.executor = executor;
        this.scanner = scanner;
        this.blobs = blobs;
        this.lifecycle = lifecycle;
        this.afterPush = afterPush;
    }

    /**
     * Enforces the lifecycle policy of {@code repository} after the settings' {@code lifecycleAfterPush}
     * delay; a call while one is pending joins it. Thread-safe; returns at once.
     */
    void enforceSoon(String repository) {
        if (!pending.add(repository)) {
            return;
        }
        try {
            executor.schedule(() -> {
                pending.remove(repository);
                run("lifecycle enforcement of " + repository, () -> lifecycle.repositories().find(repository)
                        .filter(r -> r.lifecyclePolicyText() != null)
                        .ifPresent(lifecycle::enforce));
            }, afterPush.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            pending.remove(repository);
        }
    }

    static RegistryBackground start(RegistryApi.Settings settings, GarbageCollector gc, LifecycleEnforcer lifecycle,
                                    ImageScanner scanner, BlobStore blobs) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "registry-background");
            t.setDaemon(true);
            return t;
        });
        long lifecycleMillis = settings.lifecycleInterval().toMillis();
        executor.scheduleWithFixedDelay(() -> run("lifecycle enforcement", () -> lifecycle.run()), lifecycleMillis,
                lifecycleMillis, TimeUnit.MILLISECONDS);
        long gcMillis = settings.gcInterval().toMillis();
        executor.scheduleWithFixedDelay(() -> run("garbage collection", () -> gc.collect()), gcMillis, gcMillis,
                TimeUnit.MILLISECONDS);
        return new RegistryBackground(executor, scanner, blobs, lifecycle, settings.lifecycleAfterPush());
    }

    private static void run(String what, Runnable job) {
        try {
            job.run();
        } catch (RuntimeException e) {
            LOG.warn("registry {} failed; retrying on schedule", what, e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            executor.shutdownNow();
            executor.awaitTermination(5, TimeUnit.SECONDS);
        }
        scanner.close();
        blobs.close();
    }
}
