package io.berth.registry.blob;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Content-addressed storage of the registry's blobs (layers, configs, manifests), and of the uploads
 * that become blobs.
 *
 * <p>Contract (held by {@code BlobStoreContract} for every adapter):
 * <ul>
 *   <li>All methods are thread-safe.</li>
 *   <li>Every blob is verified: {@link #put} and {@link #complete} hash the bytes and make the blob
 *       visible only when they hash to the digest given; otherwise they throw
 *       {@link BlobException.Reason#DIGEST_MISMATCH} and nothing becomes visible.</li>
 *   <li>A blob becomes visible atomically and durably: readers see all of it or none of it, and once
 *       {@link #put} or {@link #complete} returns it survives a crash of the process.</li>
 *   <li>An upload holds the bytes received so far ({@link Upload#offset()}); a chunk must start at
 *       that offset ({@link BlobException.Reason#OFFSET_MISMATCH} otherwise, writing nothing). Uploads
 *       of durable adapters survive a restart and continue where they stopped.</li>
 *   <li>Garbage collection never deletes a blob {@link #touch}ed, put or completed at or after the
 *       sweep's cutoff: a client that touched a blob (and got {@code true}) may reference it until
 *       the cutoff passes its touch. The registry touches every blob a push is about to reference.</li>
 * </ul>
 *
 * <p>Reads and writes stream: nothing holds a whole blob in memory. Streams are bounded by the
 * caller's connection (its idle timeout) rather than by a deadline here.
 */
public interface BlobStore extends AutoCloseable {

    /** The blob's size, when a complete blob has this digest. */
    Optional<BlobInfo> stat(Digest digest);

    /**
     * Reads {@code length} bytes of the blob from {@code offset}; the caller closes the stream.
     *
     * @throws BlobException {@link BlobException.Reason#BLOB_UNKNOWN} when there is no such blob
     * @throws IllegalArgumentException when the range is not inside the blob
     */
    InputStream open(Digest digest, long offset, long length);

    /**
     * As {@link #open}, as a read-only buffer mapped from the blob's file, for adapters that keep
     * blobs in local files: the server then hands the file's pages to the socket without copying
     * them through the heap. Empty when the adapter has no such file (or the range is too large to
     * map in one buffer); the caller then streams with {@link #open}.
     *
     * @throws BlobException {@link BlobException.Reason#BLOB_UNKNOWN} when there is no such blob
     * @throws IllegalArgumentException when the range is not inside the blob
     */
    default Optional<ByteBuffer> map(Digest digest, long offset, long length) {
        return Optional.empty();
    }

    /** Stores {@code content} (read to its end) as one blob, verified against {@code expected}. */
    BlobInfo put(Digest expected, InputStream content);

    /** Starts an upload labelled with {@code owner}. */
    Upload startUpload(String owner);

    /** The upload in progress with this id. */
    Optional<Upload> upload(String uploadId);

    /**
     * Appends {@code content} (read to its end) to the upload, which must hold exactly {@code offset}
     * bytes. Returns the upload after the append. If {@code content} fails midway, the bytes read
     * so far stay appended and the upload can be resumed from its new offset.
     */
    Upload append(String uploadId, long offset, InputStream content);

    /**
     * Finishes the upload: verifies its bytes against {@code expected} and makes them the blob of
     * that digest (already present: the upload is dropped and the blob kept). The upload ends
     * either way, also on a mismatch.
     */
    BlobInfo complete(String uploadId, Digest expected);

    /** Drops an upload; unknown ids are ignored. */
    void cancel(String uploadId);

    /**
     * Records that a client is about to reference the blob, protecting it from {@link #sweep}s whose
     * cutoff is before now. Returns whether the blob exists.
     */
    boolean touch(Digest digest);

    /**
     * Deletes every blob that {@code live} rejects and that was last put, completed or touched before
     * {@code cutoff}.
     */
    SweepReport sweep(Predicate<Digest> live, Instant cutoff);

    /** Drops the uploads that received nothing since {@code idleSince}; returns how many. */
    int expireUploads(Instant idleSince);

    @Override
    void close();
}
