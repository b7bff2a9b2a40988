package io.berth.registry;

import io.berth.registry.blob.BlobStore;
import io.berth.registry.gc.GarbageCollector;
import io.berth.registry.lifecycle.LifecycleEnforcer;
import io.berth.registry.scan.ImageScanner;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's periodic jobs on one daemon thread: lifecycle policy enforcement and garbage
 * collection; and the image scanner's pool. A failing run is logged and the next one runs on schedule. Closing stops the jobs
 * (waiting for a run in progress) and closes the blob store.
 */
final class RegistryBackground implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryBackground.class);

    private final ScheduledExecutorService executor;
    private final BlobStore blobs;
    private final ImageScanner scanner;

    private RegistryBackground(ScheduledExecutorService executor, ImageScanner scanner, BlobStore blobs) {
        this.executor = executor;
        this.scanner = scanner;
        this.blobs = blobs;
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
        return new RegistryBackground(executor, scanner, blobs);
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
