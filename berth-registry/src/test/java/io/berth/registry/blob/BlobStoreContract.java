package io.berth.registry.blob;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.registry.ManualClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of {@link BlobStore}, run against every adapter and the fake: subclasses say how to
 * make a store (and, for durable adapters, how to reopen one).
 */
public abstract class BlobStoreContract {
    protected static final Duration GRACE = Duration.ofHours(1);

    @TempDir
    protected Path dir;
    protected final ManualClock clock = new ManualClock();
    protected BlobStore store;

    protected abstract BlobStore newStore(Path dir, ManualClock clock);

    protected boolean durable() {
        return false;
    }

    @BeforeEach
    final void openStore() {
        store = newStore(dir, clock);
    }

    @AfterEach
    final void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    protected final void reopen() {
        store.close();
        store = newStore(dir, clock);
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    protected static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    protected static InputStream in(byte[] b) {
        return new ByteArrayInputStream(b);
    }

    protected final byte[] read(Digest d) throws IOException {
        long size = store.stat(d).orElseThrow().size();
        try (InputStream in = store.open(d, 0, size)) {
            return in.readAllBytes();
        }
    }

    /** A stream of {@code b} that fails after {@code failAfter} bytes, as a dropped connection. */
    protected static InputStream failingAfter(byte[] b, int failAfter) {
        return new InputStream() {
            int pos;

            @Override
            public int read() throws IOException {
                if (pos >= failAfter) {
                    throw new IOException("connection reset (test)");
                }
                return b[pos++] & 0xff;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                if (pos >= failAfter) {
                    throw new IOException("connection reset (test)");
                }
                int n = Math.min(len, failAfter - pos);
                System.arraycopy(b, pos, buf, off, n);
                pos += n;
                return n;
            }
        };
    }

    // ---- put ----

    @Test
    void putStoresVerifiedContentReadableWhole() throws IOException {
        byte[] content = random(300_000, 1);
        Digest d = Digest.sha256(content);
        BlobInfo info = store.put(d, in(content));
        assertThat(info).isEqualTo(new BlobInfo(d, content.length));
        assertThat(store.stat(d)).contains(new BlobInfo(d, content.length));
        assertThat(read(d)).isEqualTo(content);
    }

    @Test
    void putOfContentNotMatchingItsDigestIsRefusedAndLeavesNothing() {
        Digest claimed = Digest.sha256(bytes("what the client claims"));
        assertThatThrownBy(() -> store.put(claimed, in(bytes("what it sends"))))
                .isInstanceOfSatisfying(BlobException.class,
                        e -> assertThat(e.reason()).isEqualTo(BlobException.Reason.DIGEST_MISMATCH));
        assertThat(store.stat(claimed)).isEmpty();
        assertThat(store.stat(Digest.sha256(bytes("what it sends")))).isEmpty();
    }

    @Test
    void sha512DigestsAreVerifiedToo() throws IOException {
        byte[] content = bytes("sha512 content");
        Digest d = Digest.of(Digest.SHA512, content);
        store.put(d, in(content));
        assertThat(read(d)).isEqualTo(content);
        Digest wrong = Digest.of(Digest.SHA512, bytes("other"));
        assertThatThrownBy(() -> store.put(wrong, in(content))).isInstanceOf(BlobException.class);
    }

    @Test
    void theEmptyBlobIsABlob() throws IOException {
        Digest d = Digest.sha256(new byte[0]);
        assertThat(d.toString()).isEqualTo("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        store.put(d, in(new byte[0]));
        assertThat(store.stat(d)).contains(new BlobInfo(d, 0));
        assertThat(read(d)).isEmpty();
    }

    @Test
    void aPutWhoseStreamBreaksShowsNothing() {
        byte[] content = random(100_000, 2);
        Digest d = Digest.sha256(content);
        assertThatThrownBy(() -> store.put(d, failingAfter(content, 50_000))).isInstanceOf(UncheckedIOException.class);
        assertThat(store.stat(d)).isEmpty();
    }

    @Test
    void puttingTheSameContentTwiceKeepsOneBlob() throws IOException {
        byte[] content = bytes("twice");
        Digest d = Digest.sha256(content);
        store.put(d, in(content));
        store.put(d, in(content));
        assertThat(read(d)).isEqualTo(content);
    }

    // ---- reads ----

    @Test
    void rangesReadThePartAsked() throws IOException {
        byte[] content = random(10_000, 3);
        Digest d = Digest.sha256(content);
        store.put(d, in(content));
        try (InputStream part = store.open(d, 1000, 500)) {
            assertThat(part.readAllBytes()).isEqualTo(Arrays.copyOfRange(content, 1000, 1500));
        }
        try (InputStream tail = store.open(d, 9_999, 1)) {
            assertThat(tail.readAllBytes()).containsExactly(content[9_999]);
        }
        assertThatThrownBy(() -> store.open(d, 9_999, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.open(d, -1, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMappedRangeHoldsWhatOpenReads() throws IOException {
        byte[] content = random(10_000, 4);
        Digest d = Digest.sha256(content);
        store.put(d, in(content));
        var mapped = store.map(d, 1000, 500);
        if (mapped.isEmpty()) {
            return; // an adapter without local files serves through open only
        }
        byte[] read = new byte[mapped.get().remaining()];
        mapped.get().get(read);
        assertThat(read).isEqualTo(Arrays.copyOfRange(content, 1000, 1500));
        assertThatThrownBy(() -> store.map(d, 9_999, 2)).isInstanceOf(IllegalArgumentException.class);
        Digest unknown = Digest.sha256(bytes("never stored"));
        assertThatThrownBy(() -> store.map(unknown, 0, 0)).isInstanceOfSatisfying(BlobException.class,
                e -> assertThat(e.reason()).isEqualTo(BlobException.Reason.BLOB_UNKNOWN));
    }

    @Test
    void unknownBlobsAreReportedAsSuch() {
        Digest d = Digest.sha256(bytes("never stored"));
        assertThat(store.stat(d)).isEmpty();
        assertThatThrownBy(() -> store.open(d, 0, 0)).isInstanceOfSatisfying(BlobException.class,
                e -> assertThat(e.reason()).isEqualTo(BlobException.Reason.BLOB_UNKNOWN));
        assertThat(store.touch(d)).isFalse();
    }

    // ---- uploads ----

    @Test
    void aChunkedUploadBecomesVisibleOnlyWhenCompleted() throws IOException {
        byte[] content = random(1_000_000, 4);
        Digest d = Digest.sha256(content);
        Upload upload = store.startUpload("repo/a");
        assertThat(upload.offset()).isZero();
        assertThat(upload.owner()).isEqualTo("repo/a");
        Upload after1 = store.append(upload.id(), 0, in(Arrays.copyOfRange(content, 0, 400_000)));
        assertThat(after1.offset()).isEqualTo(400_000);
        assertThat(store.stat(d)).isEmpty();
        store.append(upload.id(), 400_000, in(Arrays.copyOfRange(content, 400_000, content.length)));
        assertThat(store.upload(upload.id()).orElseThrow().offset()).isEqualTo(content.length);
        assertThat(store.stat(d)).isEmpty();

        assertThat(store.complete(upload.id(), d)).isEqualTo(new BlobInfo(d, content.length));
        assertThat(read(d)).isEqualTo(content);
        assertThat(store.upload(upload.id())).isEmpty();
    }

    @Test
    void aChunkThatDoesNotStartAtTheEndIsRefusedAndWritesNothing() {
        Upload upload = store.startUpload("r");
        store.append(upload.id(), 0, in(bytes("0123456789")));
        for (long wrong : new long[] {0, 5, 11}) {
            assertThatThrownBy(() -> store.append(upload.id(), wrong, in(bytes("xx"))))
                    .isInstanceOfSatisfying(BlobException.class, e -> {
                        assertThat(e.reason()).isEqualTo(BlobException.Reason.OFFSET_MISMATCH);
                        assertThat(e.currentOffset()).isEqualTo(10);
                    });
        }
        assertThat(store.upload(upload.id()).orElseThrow().offset()).isEqualTo(10);
    }

    @Test
    void completingWithTheWrongDigestEndsTheUploadAndShowsNothing() {
        Upload upload = store.startUpload("r");
        store.append(upload.id(), 0, in(bytes("content")));
        Digest wrong = Digest.sha256(bytes("other content"));
        assertThatThrownBy(() -> store.complete(upload.id(), wrong)).isInstanceOfSatisfying(BlobException.class,
                e -> assertThat(e.reason()).isEqualTo(BlobException.Reason.DIGEST_MISMATCH));
        assertThat(store.stat(wrong)).isEmpty();
        assertThat(store.stat(Digest.sha256(bytes("content")))).isEmpty();
        assertThat(store.upload(upload.id())).isEmpty();
    }

    @Test
    void uploadsCanBeVerifiedWithSha512() throws IOException {
        byte[] content = random(70_000, 5);
        Digest d = Digest.of(Digest.SHA512, content);
        Upload upload = store.startUpload("r");
        store.append(upload.id(), 0, in(content));
        store.complete(upload.id(), d);
        assertThat(read(d)).isEqualTo(content);
    }

    @Test
    void anEmptyUploadCompletesToTheEmptyBlob() {
        Upload upload = store.startUpload("r");
        Digest empty = Digest.sha256(new byte[0]);
        assertThat(store.complete(upload.id(), empty)).isEqualTo(new BlobInfo(empty, 0));
    }

    @Test
    void completingContentThatExistsKeepsTheBlobAndEndsTheUpload() throws IOException {
        byte[] content = bytes("dedupe");
        Digest d = Digest.sha256(content);
        store.put(d, in(content));
        Upload upload = store.startUpload("r");
        store.append(upload.id(), 0, in(content));
        store.complete(upload.id(), d);
        assertThat(read(d)).isEqualTo(content);
        assertThat(store.upload(upload.id())).isEmpty();
    }

    @Test
    void aCancelledUploadIsGone() {
        Upload upload = store.startUpload("r");
        store.append(upload.id(), 0, in(bytes("abc")));
        store.cancel(upload.id());
        assertThat(store.upload(upload.id())).isEmpty();
        assertThatThrownBy(() -> store.append(upload.id(), 3, in(bytes("d"))))
                .isInstanceOfSatisfying(BlobException.class,
                        e -> assertThat(e.reason()).isEqualTo(BlobException.Reason.UPLOAD_UNKNOWN));
        store.cancel(upload.id());
    }

    @Test
    void unknownAndMalformedUploadIdsAreUnknown() {
        for (String id : List.of("0b7b6d0e-6f0a-4a39-9a9e-3f2d5c1e8a77", "../../etc", "", "x")) {
            assertThat(store.upload(id)).isEmpty();
            assertThatThrownBy(() -> store.append(id, 0, in(bytes("a")))).isInstanceOfSatisfying(
                    BlobException.class, e -> assertThat(e.reason()).isEqualTo(BlobException.Reason.UPLOAD_UNKNOWN));
            assertThatThrownBy(() -> store.complete(id, Digest.sha256(new byte[0]))).isInstanceOfSatisfying(
                    BlobException.class, e -> assertThat(e.reason()).isEqualTo(BlobException.Reason.UPLOAD_UNKNOWN));
        }
    }

    @Test
    void aChunkWhoseStreamBreaksLeavesAResumableUpload() throws IOException {
        byte[] content = random(600_000, 6);
        Digest d = Digest.sha256(content);
        Upload upload = store.startUpload("r");
        assertThatThrownBy(() -> store.append(upload.id(), 0, failingAfter(content, 250_000)))
                .isInstanceOf(UncheckedIOException.class);
        long offset = store.upload(upload.id()).orElseThrow().offset();
        assertThat(offset).isBetween(0L, 250_000L);
        store.append(upload.id(), offset, in(Arrays.copyOfRange(content, (int) offset, content.length)));
        store.complete(upload.id(), d);
        assertThat(read(d)).isEqualTo(content);
    }

    @Test
    void uploadsRecordWhenTheyStartedAndLastReceivedBytes() {
        Instant start = clock.instant();
        Upload upload = store.startUpload("r");
        assertThat(upload.startedAt()).isEqualTo(start);
        clock.advance(Duration.ofMinutes(5));
        store.append(upload.id(), 0, in(bytes("x")));
        Upload now = store.upload(upload.id()).orElseThrow();
        assertThat(now.startedAt()).isEqualTo(start);
        assertThat(now.updatedAt()).isEqualTo(start.plus(Duration.ofMinutes(5)));
    }

    @Test
    void expiringUploadsDropsOnlyIdleOnes() {
        Upload idle = store.startUpload("r");
        clock.advance(Duration.ofHours(30));
        Upload fresh = store.startUpload("r");
        assertThat(store.expireUploads(clock.instant().minus(Duration.ofHours(24)))).isEqualTo(1);
        assertThat(store.upload(idle.id())).isEmpty();
        assertThat(store.upload(fresh.id())).isPresent();
    }

    @Test
    void expiringUploadsBesideUploadsBeingStartedDropsNone() throws Exception {
        // GC expires idle uploads while clients start new ones: none of those is idle, none may go
        Instant idleSince = clock.instant().minus(Duration.ofHours(24));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            java.util.concurrent.atomic.AtomicBoolean uploading = new java.util.concurrent.atomic.AtomicBoolean(true);
            Future<?> expirer = pool.submit(() -> {
                go.await();
                while (uploading.get()) {
                    store.expireUploads(idleSince);
                }
                return null;
            });
            Future<?> uploader = pool.submit(() -> {
                go.await();
                try {
                    for (int i = 0; i < 300; i++) {
                        byte[] content = bytes("upload " + i);
                        Upload u = store.startUpload("r");
                        store.append(u.id(), 0, in(content));
                        store.complete(u.id(), Digest.sha256(content));
                    }
                } finally {
                    uploading.set(false);
                }
                return null;
            });
            go.countDown();
            uploader.get(); // every upload started, received its bytes and completed
            expirer.get();
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- garbage collection ----

    @Test
    void sweepDeletesOldUnreferencedBlobsAndKeepsLiveAndRecentOnes() {
        Digest live = put("live");
        Digest dead = put("dead");
        Digest touched = put("touched");
        clock.advance(Duration.ofHours(2));
        assertThat(store.touch(touched)).isTrue();
        Digest recent = put("recent");
        SweepReport report = store.sweep(d -> d.equals(live), clock.instant().minus(GRACE));
        assertThat(report.deleted()).isEqualTo(1);
        assertThat(report.examined()).isEqualTo(4);
        assertThat(report.bytesFreed()).isEqualTo(4);
        assertThat(store.stat(dead)).isEmpty();
        assertThat(store.stat(live)).isPresent();
        assertThat(store.stat(touched)).isPresent();
        assertThat(store.stat(recent)).isPresent();
    }

    @Test
    void aBlobTouchedDuringASweepIsNeverDeleted() throws Exception {
        int rounds = 200;
        List<Digest> digests = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            digests.add(put("blob " + i));
        }
        clock.advance(Duration.ofHours(2));
        Instant cutoff = clock.instant().minus(GRACE);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Future<boolean[]> toucher = pool.submit(() -> {
                go.await();
                boolean[] touched = new boolean[rounds];
                for (int i = rounds - 1; i >= 0; i--) {
                    touched[i] = store.touch(digests.get(i));
                }
                return touched;
            });
            Future<SweepReport> sweeper = pool.submit(() -> {
                go.await();
                return store.sweep(d -> false, cutoff);
            });
            go.countDown();
            boolean[] touched = toucher.get();
            sweeper.get();
            for (int i = 0; i < rounds; i++) {
                if (touched[i]) {
                    assertThat(store.stat(digests.get(i))).as("blob %d was touched, so kept", i).isPresent();
                } else {
                    assertThat(store.stat(digests.get(i))).isEmpty();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentPutsAndUploadsAllLand() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            byte[] shared = random(200_000, 7);
            Digest sharedDigest = Digest.sha256(shared);
            List<Future<Digest>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    store.put(sharedDigest, in(shared));
                    byte[] own = random(150_000, 100 + seed);
                    Upload u = store.startUpload("r" + seed);
                    store.append(u.id(), 0, in(Arrays.copyOfRange(own, 0, 70_000)));
                    store.append(u.id(), 70_000, in(Arrays.copyOfRange(own, 70_000, own.length)));
                    return store.complete(u.id(), Digest.sha256(own)).digest();
                }));
            }
            for (int t = 0; t < 16; t++) {
                Digest d = results.get(t).get();
                assertThat(read(d)).isEqualTo(random(150_000, 100 + t));
            }
            assertThat(read(sharedDigest)).isEqualTo(shared);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- durability ----

    @Test
    void blobsAndUploadsSurviveAReopen() throws IOException {
        if (!durable()) {
            return;
        }
        Digest d = put("durable");
        byte[] content = random(90_000, 8);
        Upload upload = store.startUpload("repo/x");
        store.append(upload.id(), 0, in(Arrays.copyOfRange(content, 0, 30_000)));
        reopen();
        assertThat(read(d)).isEqualTo(bytes("durable"));
        Upload resumed = store.upload(upload.id()).orElseThrow();
        assertThat(resumed.offset()).isEqualTo(30_000);
        assertThat(resumed.owner()).isEqualTo("repo/x");
        store.append(upload.id(), 30_000, in(Arrays.copyOfRange(content, 30_000, content.length)));
        store.complete(upload.id(), Digest.sha256(content));
        assertThat(read(Digest.sha256(content))).isEqualTo(content);
    }

    protected final Digest put(String text) {
        byte[] b = bytes(text);
        Digest d = Digest.sha256(b);
        store.put(d, in(b));
        return d;
    }
}
