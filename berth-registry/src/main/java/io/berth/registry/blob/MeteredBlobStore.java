package io.berth.registry.blob;

import io.berth.core.metrics.Metrics;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Any {@link BlobStore} with the bytes it moves counted: {@code berth.registry.bytes} with
 * direction=in (blob content written: pushes, uploads) and direction=out (blob content read: pulls,
 * and the scanner's reads). Bytes are counted as they stream, so an aborted transfer counts what moved.
 * Thread-safe as the store it wraps.
 */
public final class MeteredBlobStore implements BlobStore {
    private final BlobStore blobs;
    private final Metrics metrics;

    public MeteredBlobStore(BlobStore blobs, Metrics metrics) {
        this.blobs = blobs;
        this.metrics = metrics;
    }

    @Override
    public Optional<BlobInfo> stat(Digest digest) {
        return blobs.stat(digest);
    }

    @Override
    public InputStream open(Digest digest, long offset, long length) {
        return new Counting(blobs.open(digest, offset, length), "out");
    }

    @Override
    public Optional<java.nio.ByteBuffer> map(Digest digest, long offset, long length) {
        Optional<java.nio.ByteBuffer> mapped = blobs.map(digest, offset, length);
        mapped.ifPresent(b -> metrics.count("berth.registry.bytes", b.remaining(), "direction", "out"));
        return mapped;
    }

    @Override
    public BlobInfo put(Digest expected, InputStream content) {
        return blobs.put(expected, new Counting(content, "in"));
    }

    @Override
    public Upload startUpload(String owner) {
        return blobs.startUpload(owner);
    }

    @Override
    public Optional<Upload> upload(String uploadId) {
        return blobs.upload(uploadId);
    }

    @Override
    public Upload append(String uploadId, long offset, InputStream content) {
        return blobs.append(uploadId, offset, new Counting(content, "in"));
    }

    @Override
    public BlobInfo complete(String uploadId, Digest expected) {
        return blobs.complete(uploadId, expected);
    }

    @Override
    public void cancel(String uploadId) {
        blobs.cancel(uploadId);
    }

    @Override
    public boolean touch(Digest digest) {
        return blobs.touch(digest);
    }

    @Override
    public SweepReport sweep(Predicate<Digest> live, Instant cutoff) {
        return blobs.sweep(live, cutoff);
    }

    @Override
    public int expireUploads(Instant idleSince) {
        return blobs.expireUploads(idleSince);
    }

    @Override
    public void close() {
        blobs.close();
    }

    /** Counts the bytes read through it, in chunks (one counter update per read call). */
    private final class Counting extends FilterInputStream {
        private final String direction;

        Counting(InputStream in, String direction) {
            super(in);
            this.direction = direction;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                metrics.count("berth.registry.bytes", 1, "direction", direction);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            int n = super.read(buffer, off, len);
            if (n > 0) {
                metrics.count("berth.registry.bytes", n, "direction", direction);
            }
            return n;
        }

        @Override
        public long transferTo(java.io.OutputStream out) throws IOException {
            long n = in.transferTo(out);
            if (n > 0) {
                metrics.count("berth.registry.bytes", n, "direction", direction);
            }
            return n;
        }
    }
}
