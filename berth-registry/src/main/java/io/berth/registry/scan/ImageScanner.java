package io.berth.registry.scan;

import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.registry.RegistryJson;
import io.berth.registry.blob.BlobStore;
import io.berth.registry.blob.Digest;
import io.berth.registry.image.Descriptor;
import io.berth.registry.image.ImageRecord;
import io.berth.registry.image.Images;
import io.berth.registry.image.Manifest;
import io.berth.registry.image.ScanState;
import io.berth.registry.repository.Repositories;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Basic image scanning: inventories an image's packages from its layers ({@link PackageInventory})
 * and matches them against the OSV files of a directory ({@link OsvDatabase}, reloaded when the
 * directory changes). Scans run on a small pool; the image's {@link ScanState} goes IN_PROGRESS,
 * then COMPLETE (findings in store kind {@value #KIND}, key {@code repo@digest}), FAILED or
 * UNSUPPORTED_IMAGE. Thread-safe.
 */
public final class ImageScanner implements AutoCloseable {
    public static final String KIND = "ecr-scan-findings";
    private static final Logger LOG = LoggerFactory.getLogger(ImageScanner.class);
    static final String COMPLETE = "The scan was completed successfully.";
    static final String UNSUPPORTED = "UnsupportedImageError: The operating system and/or package manager are not "
            + "supported.";

    /** The findings of a completed scan, and when the vulnerability data was last changed. */
    public record Findings(Instant completedAt, Instant sourceUpdatedAt, List<Finding> findings) {
    }

    private final Images images;
    private final BlobStore blobs;
    private final StateStore store;
    private final Path osvDir;
    private final InstantSource clock;
    private final ExecutorService pool;
    private volatile OsvDatabase osv;
    private volatile long osvStamp = Long.MIN_VALUE;
    private volatile Instant osvUpdatedAt = Instant.EPOCH;

    public ImageScanner(Images images, BlobStore blobs, StateStore store, Path osvDir, InstantSource clock) {
        this.images = images;
        this.blobs = blobs;
        this.store = store;
        this.osvDir = osvDir;
        this.clock = clock;
        this.pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "registry-scan");
            t.setDaemon(true);
            return t;
        });
    }

    /** Scans every new image of a repository with scanOnPush. */
    public void scanOnPush(Repositories repositories) {
        images.onPush(pushed -> {
            if (repositories.find(pushed.image().repository()).map(r -> r.scanOnPush()).orElse(false)
                    && !pushed.image().index()) {
                start(pushed.image());
            }
        });
    }

    /** Marks the image IN_PROGRESS and scans it in the background. */
    public ScanState start(ImageRecord image) {
        ScanState progress = new ScanState("IN_PROGRESS", null, null, null);
        images.update(image.repository(), image.digest(), i -> i.withScan(progress));
        pool.execute(() -> scan(image));
        return progress;
    }

    /** Scans now, on this thread; returns the final state. */
    public ScanState scan(ImageRecord image) {
        ScanState state;
        try {
            Manifest manifest = images.parsed(image);
            PackageInventory inventory = new PackageInventory();
            for (Descriptor layer : manifest.layers()) {
                if (!layer.mediaType().contains("tar") || layer.mediaType().contains("zstd") || layer.foreign()) {
                    continue;
                }
                try (InputStream in = blobs.open(layer.digest(), 0, layer.size())) {
                    inventory.addLayer(in);
                }
            }
            PackageInventory.Result result = inventory.result();
            if (!result.supported()) {
                state = new ScanState("UNSUPPORTED_IMAGE", UNSUPPORTED, null, null);
            } else {
                List<Finding> findings = database().match(result.ecosystem(), result.packages());
                Instant now = clock.instant();
                store.commit(List.of(new Mutation.Put(KIND, key(image.repository(), image.digest()), Mutation.ANY,
                        RegistryJson.encode(new Findings(now, osvUpdatedAt, findings)))), Duration.ofSeconds(10));
                Map<String, Integer> counts = new TreeMap<>();
                findings.forEach(f -> counts.merge(f.severity(), 1, Integer::sum));
                state = new ScanState("COMPLETE", COMPLETE, now, counts);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("scan of {}@{} failed", image.repository(), image.digest(), e);
            state = new ScanState("FAILED", "The scan failed: " + e.getMessage(), null, null);
        }
        ScanState done = state;
        images.update(image.repository(), image.digest(), i -> i.withScan(done));
        return done;
    }

    public Optional<Findings> findings(String repository, Digest digest) {
        return store.get(KIND, key(repository, digest)).map(v -> RegistryJson.decode(v.value(), Findings.class));
    }

    /** Drops the findings of a deleted repository. */
    public void forget(String repository) {
        while (true) {
            List<io.berth.core.store.Versioned> batch = store.scan(KIND, repository + "@", null, 500);
            if (batch.isEmpty()) {
                return;
            }
            store.commit(batch.stream().<Mutation>map(v -> new Mutation.Delete(KIND, v.key(), Mutation.ANY)).toList(),
                    Duration.ofSeconds(10));
        }
    }

    private static String key(String repository, Digest digest) {
        return repository + "@" + digest;
    }

    private synchronized OsvDatabase database() throws IOException {
        long stamp = osvDir != null && Files.isDirectory(osvDir)
                ? Files.getLastModifiedTime(osvDir).toMillis() : Long.MIN_VALUE + 1;
        if (osv == null || stamp != osvStamp) {
            osv = OsvDatabase.load(osvDir);
            osvStamp = stamp;
            osvUpdatedAt = clock.instant();
        }
        return osv;
    }

    @Override
    public void close() throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
            pool.shutdownNow();
        }
    }
}
