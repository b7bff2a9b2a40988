package io.berth.registry.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.berth.core.store.Versioned;
import io.berth.registry.RegistryJson;
import io.berth.registry.RegistryParts;
import io.berth.registry.TestManifests;
import io.berth.registry.blob.BlobInfo;
import io.berth.registry.blob.Digest;
import io.berth.registry.blob.FileBlobStore;
import io.berth.registry.blob.InMemoryBlobStore;
import io.berth.registry.error.RegistryError;
import io.berth.registry.error.RegistryException;
import io.berth.registry.image.ImageRecord;
import io.berth.registry.image.Images;
import io.berth.registry.image.MediaTypes;
import io.berth.registry.layer.Layers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage collection beside concurrent pushes, with the clock moved as fast as the design allows
 * ({@link PushWindow}): one thread collects over and over while pushers upload layers and configs and
 * push manifests over them, re-push manifests over blobs of their earlier pushes, delete images (so
 * there is garbage) and abandon uploaded blobs. Holds that a push either lands with every blob it
 * references present and linked (after every collection, and at the end), or is refused with
 * LAYERS_NOT_FOUND (OCI: MANIFEST_BLOB_UNKNOWN); that a push uploading its own blobs always lands;
 * and that what no image references is collected once a grace period passes.
 */
class GarbageCollectorUnderPushesTest {
    private static final Duration STEP = RegistryParts.GRACE.dividedBy(8);
    private static final int PUSHERS = 4;
    private static final int OPERATIONS = 80;
    private static final List<String> REPOSITORIES = List.of("app/a", "app/b");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"file", "in-memory"})
    void aCollectionNeverDeletesABlobAnAcceptedPushReferences(String adapter) throws Exception {
        RegistryParts r = new RegistryParts(clock -> adapter.equals("file") ? FileBlobStore.open(dir, clock)
                : new InMemoryBlobStore(clock));
        REPOSITORIES.forEach(r::repository);
        PushWindow window = new PushWindow(r.clock, RegistryParts.GRACE);
        List<String> violations = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicBoolean pushing = new AtomicBoolean(true);
        CollectionCount collections = new CollectionCount();
        AtomicLong swept = new AtomicLong();
        List<Pusher> pushers = new ArrayList<>();
        for (int p = 0; p < PUSHERS; p++) {
            pushers.add(new Pusher(r, window, collections, p));
        }
        ExecutorService pool = Executors.newFixedThreadPool(PUSHERS + 1);
        try {
            Future<?> collector = pool.submit(() -> {
                try {
                    while (pushing.get()) {
                        window.advance(STEP);
                        GarbageCollector.Report report = r.gc.collect();
                        swept.addAndGet(report.sweep().deleted());
                        violations.addAll(audit(r));
                        collections.increment();
                    }
                } finally {
                    collections.stop();
                }
                return null;
            });
            List<Future<?>> running = pushers.stream().<Future<?>>map(p -> pool.submit(() -> {
                p.run();
                return null;
            })).toList();
            try {
                for (Future<?> f : running) {
                    f.get(5, TimeUnit.MINUTES);
                }
            } finally {
                pushing.set(false);
            }
            collector.get(1, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        assertThat(violations).as("images whose blobs went while they stood").isEmpty();

        Set<Digest> standing = new HashSet<>();
        for (Pusher p : pushers) {
            standing.addAll(p.standing.keySet());
        }
        assertThat(standingImages(r)).extracting(ImageRecord::digest).containsExactlyInAnyOrderElementsOf(standing);
        assertThat(pushers).allSatisfy(p -> assertThat(p.landed).isPositive());
        assertThat(pushers.stream().mapToInt(p -> p.repushesLanded).sum()).as("re-pushes landed").isPositive();
        assertThat(collections.count()).isGreaterThanOrEqualTo(OPERATIONS);
        assertThat(swept.get()).as("blobs collected while pushing").isPositive();

        // nothing in flight: once unused links and blobs are past the grace period (links with the
        // margin of their lazy refresh, Layers.unusedSince), exactly the blobs of standing images remain
        r.clock.advance(RegistryParts.GRACE.multipliedBy(2));
        r.gc.collect();
        Set<Digest> referenced = new HashSet<>();
        for (ImageRecord image : standingImages(r)) {
            referenced.add(image.digest());
            referenced.addAll(image.blobs());
        }
        Set<Digest> stored = ConcurrentHashMap.newKeySet();
        r.blobs.sweep(d -> stored.add(d) || true, Instant.MIN);
        assertThat(stored).containsExactlyInAnyOrderElementsOf(referenced);
        assertThat(audit(r)).isEmpty();

        // and every standing image pulls whole: its manifest, and each blob through its repository's link
        for (ImageRecord image : standingImages(r)) {
            assertThat(Digest.of(image.digest().algorithm(), read(r, image.digest()))).isEqualTo(image.digest());
            for (Digest blob : image.blobs()) {
                assertThat(r.layers.find(image.repository(), blob)).as("%s in %s", blob, image.repository())
                        .isPresent();
                assertThat(Digest.sha256(read(r, blob))).isEqualTo(blob);
            }
        }
    }

    /** Each standing image whose manifest, config or layer blob is gone, or not linked to its repository. */
    private static List<String> audit(RegistryParts r) {
        List<String> found = new ArrayList<>();
        for (ImageRecord image : standingImages(r)) {
            if (r.blobs.stat(image.digest()).isEmpty()) {
                found.add("manifest " + image.digest() + " of " + image.repository() + " deleted");
            }
            for (Digest blob : image.blobs()) {
                if (r.blobs.stat(blob).isEmpty()) {
                    found.add("blob " + blob + " of " + image.repository() + "@" + image.digest() + " deleted");
                }
                // read the link without Layers.find, which would protect the blob
                if (r.store.get(Layers.KIND, Layers.key(image.repository(), blob)).isEmpty()) {
                    found.add("blob " + blob + " of " + image.repository() + "@" + image.digest() + " unlinked");
                }
            }
        }
        return found;
    }

    private static List<ImageRecord> standingImages(RegistryParts r) {
        List<ImageRecord> all = new ArrayList<>();
        for (Versioned v : r.images.scanAll(null, 100_000)) {
            all.add(RegistryJson.decode(v.value(), ImageRecord.class));
        }
        return all;
    }

    private static byte[] read(RegistryParts r, Digest digest) throws IOException {
        BlobInfo info = r.blobs.stat(digest).orElseThrow();
        try (InputStream in = r.blobs.open(digest, 0, info.size())) {
            return in.readAllBytes();
        }
    }

    /** Collections done so far; pushers wait for the next one between operations, so that they interleave. */
    private static final class CollectionCount {
        private long count;
        private boolean stopped;

        synchronized void increment() {
            count++;
            notifyAll();
        }

        synchronized void stop() {
            stopped = true;
            notifyAll();
        }

        synchronized long count() {
            return count;
        }

        synchronized void awaitAfter(long seen) throws InterruptedException {
            while (count <= seen && !stopped) {
                wait();
            }
        }
    }

    /** One client pushing into one repository; its images (unique to it by their config) it alone deletes. */
    private static final class Pusher {
        private static final int SHARED_LAYERS = 3;

        private record Spec(byte[] config, List<byte[]> layers) {
            byte[] manifest() {
                return TestManifests.bytes(TestManifests.image(MediaTypes.OCI_MANIFEST, config, layers));
            }
        }

        final Map<Digest, Spec> standing = new HashMap<>();
        int landed;
        int repushesLanded;
        private final RegistryParts r;
        private final PushWindow window;
        private final CollectionCount collections;
        private final int id;
        private final String repository;
        private final Random random;
        private final List<Spec> pushed = new ArrayList<>();

        Pusher(RegistryParts r, PushWindow window, CollectionCount collections, int id) {
            this.r = r;
            this.window = window;
            this.collections = collections;
            this.id = id;
            this.repository = REPOSITORIES.get(id % REPOSITORIES.size());
            this.random = new Random(id);
        }

        void run() throws InterruptedException {
            for (int n = 0; n < OPERATIONS; n++) {
                collections.awaitAfter(collections.count());
                int dice = random.nextInt(100);
                if (dice < 45 || pushed.isEmpty()) {
                    freshPush(n);
                } else if (dice < 75) {
                    repush();
                } else if (dice < 90) {
                    deleteOne();
                } else {
                    long ticket = window.open();
                    try {
                        upload(content("abandoned " + id + "/" + n)); // never referenced
                    } finally {
                        window.close(ticket);
                    }
                }
            }
        }

        /** Uploads its own config and layer (and a shared layer) and pushes over them: always lands. */
        private void freshPush(int n) {
            Spec spec = new Spec(TestManifests.bytes("{\"pusher\":" + id + ",\"n\":" + n + "}"),
                    List.of(content("layer " + id + "/" + n), TestManifests.bytes("shared " + random.nextInt(SHARED_LAYERS))));
            long ticket = window.open();
            try {
                upload(spec.config());
                spec.layers().forEach(this::upload);
                push(spec);
            } finally {
                window.close(ticket);
            }
            pushed.add(spec);
            landed++;
        }

        /** Pushes a manifest over blobs uploaded by earlier pushes (maybe of deleted images): lands or is refused. */
        private void repush() {
            Spec a = pushed.get(random.nextInt(pushed.size()));
            Spec b = pushed.get(random.nextInt(pushed.size()));
            Spec spec = random.nextBoolean() ? a : new Spec(a.config(), List.of(b.layers().get(0), a.layers().get(1)));
            long ticket = window.open();
            try {
                push(spec);
                landed++;
                repushesLanded++;
            } catch (RegistryException e) {
                if (e.error() != RegistryError.LAYERS_NOT_FOUND) {
                    throw e;
                }
            } finally {
                window.close(ticket);
            }
        }

        private void deleteOne() {
            if (standing.isEmpty()) {
                return;
            }
            List<Digest> mine = new ArrayList<>(standing.keySet());
            mine.sort(null);
            Digest victim = mine.get(random.nextInt(mine.size()));
            r.images.delete(repository, victim);
            standing.remove(victim);
        }

        private void push(Spec spec) {
            Images.Pushed result = r.images.push(new Images.Push(repository, spec.manifest(), MediaTypes.OCI_MANIFEST,
                    null, null, false));
            standing.put(result.image().digest(), spec);
        }

        /** Uploads a blob, monolithically or in two chunks. */
        private void upload(byte[] content) {
            Digest digest = Digest.sha256(content);
            if (random.nextBoolean()) {
                r.layers.put(repository, digest, new ByteArrayInputStream(content));
                return;
            }
            String upload = r.layers.start(repository).id();
            int half = content.length / 2;
            r.layers.append(repository, upload, 0, new ByteArrayInputStream(Arrays.copyOf(content, half)));
            r.layers.append(repository, upload, half,
                    new ByteArrayInputStream(Arrays.copyOfRange(content, half, content.length)));
            r.layers.complete(repository, upload, digest);
        }

        private byte[] content(String label) {
            byte[] b = new byte[1 + random.nextInt(16 * 1024)];
            random.nextBytes(b);
            byte[] named = TestManifests.bytes(label);
            System.arraycopy(named, 0, b, 0, Math.min(named.length, b.length));
            return b;
        }
    }
}
