package io.berth.registry.blob;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The in-memory fake of {@link BlobStore}, for tests. {@link #broken(boolean)} makes every call fail
 * as a dead disk would. Thread-safe (one lock).
 */
public final class InMemoryBlobStore implements BlobStore {
    private record Blob(byte[] bytes, Instant touched) {
    }

    private record Pending(String owner, ByteArrayOutputStream data, Instant started, Instant updated) {
    }

    private final InstantSource clock;
    private final Map<Digest, Blob> blobs = new HashMap<>();
    private final Map<String, Pending> uploads = new HashMap<>();
    private volatile boolean broken;

    public InMemoryBlobStore(InstantSource clock) {
        this.clock = clock;
    }

    public void broken(boolean broken) {
        this.broken = broken;
    }

    private void check() {
        if (broken) {
            throw new UncheckedIOException(new IOException("blob store broken (fault injected)"));
        }
    }

    @Override
    public synchronized Optional<BlobInfo> stat(Digest digest) {
        check();
        return Optional.ofNullable(blobs.get(digest)).map(b -> new BlobInfo(digest, b.bytes().length));
    }

    @Override
    public synchronized InputStream open(Digest digest, long offset, long length) {
        check();
        Blob blob = blobs.get(digest);
        if (blob == null) {
            throw new BlobException(BlobException.Reason.BLOB_UNKNOWN, "blob unknown: " + digest);
        }
        if (offset < 0 || length < 0 || offset + length > blob.bytes().length) {
            throw new IllegalArgumentException("range outside the blob");
        }
        return new ByteArrayInputStream(blob.bytes(), (int) offset, (int) length);
    }

    @Override
    public BlobInfo put(Digest expected, InputStream content) {
        check();
        byte[] bytes = readAll(content);
        verify(expected, bytes);
        synchronized (this) {
            blobs.merge(expected, new Blob(bytes, clock.instant()), (old, neu) -> new Blob(old.bytes(), neu.touched()));
        }
        return new BlobInfo(expected, bytes.length);
    }

    @Override
    public synchronized Upload startUpload(String owner) {
        check();
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant();
        uploads.put(id, new Pending(owner, new ByteArrayOutputStream(), now, now));
        return new Upload(id, owner, 0, now, now);
    }

    @Override
    public synchronized Optional<Upload> upload(String uploadId) {
        check();
        return Optional.ofNullable(uploads.get(uploadId))
                .map(p -> new Upload(uploadId, p.owner(), p.data().size(), p.started(), p.updated()));
    }

    @Override
    public Upload append(String uploadId, long offset, InputStream content) {
        check();
        synchronized (this) {
            Pending p = pending(uploadId);
            if (p.data().size() != offset) {
                throw new BlobException(BlobException.Reason.OFFSET_MISMATCH, "offset mismatch", p.data().size());
            }
        }
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = content.read(buffer)) >= 0) {
                synchronized (this) {
                    pending(uploadId).data().write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            synchronized (this) {
                Pending p = uploads.get(uploadId);
                if (p != null) {
                    uploads.put(uploadId, new Pending(p.owner(), p.data(), p.started(), clock.instant()));
                }
            }
        }
        return upload(uploadId).orElseThrow();
    }

    @Override
    public synchronized BlobInfo complete(String uploadId, Digest expected) {
        check();
        Pending p = pending(uploadId);
        uploads.remove(uploadId);
        byte[] bytes = p.data().toByteArray();
        verify(expected, bytes);
        blobs.merge(expected, new Blob(bytes, clock.instant()), (old, neu) -> new Blob(old.bytes(), neu.touched()));
        return new BlobInfo(expected, bytes.length);
    }

    @Override
    public synchronized void cancel(String uploadId) {
        check();
        uploads.remove(uploadId);
    }

    @Override
    public synchronized boolean touch(Digest digest) {
        check();
        Blob blob = blobs.get(digest);
        if (blob == null) {
            return false;
        }
        blobs.put(digest, new Blob(blob.bytes(), clock.instant()));
        return true;
    }

    @Override
    public synchronized SweepReport sweep(Predicate<Digest> live, Instant cutoff) {
        check();
        long examined = blobs.size();
        long deleted = 0;
        long freed = 0;
        for (var it = blobs.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!live.test(e.getKey()) && e.getValue().touched().isBefore(cutoff)) {
                it.remove();
                deleted++;
                freed += e.getValue().bytes().length;
            }
        }
        return new SweepReport(examined, deleted, freed);
    }

    @Override
    public synchronized int expireUploads(Instant idleSince) {
        check();
        int before = uploads.size();
        uploads.values().removeIf(p -> p.updated().isBefore(idleSince));
        return before - uploads.size();
    }

    @Override
    public void close() {
    }

    private Pending pending(String uploadId) {
        Pending p = uploads.get(uploadId);
        if (p == null) {
            throw new BlobException(BlobException.Reason.UPLOAD_UNKNOWN, "upload unknown: " + uploadId);
        }
        return p;
    }

    private static void verify(Digest expected, byte[] bytes) {
        Digest actual = Digest.of(expected.algorithm(), bytes);
        if (!actual.equals(expected)) {
            throw new BlobException(BlobException.Reason.DIGEST_MISMATCH, "content hashes to " + actual);
        }
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "InMemoryBlobStore" + Arrays.toString(blobs.keySet().toArray());
    }
}
