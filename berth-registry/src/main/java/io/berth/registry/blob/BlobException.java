package io.berth.registry.blob;

import java.util.Objects;

/** What a {@link BlobStore} refuses; callers translate the reason into their protocol's error. */
public final class BlobException extends RuntimeException {
    public enum Reason {
        /** No complete blob has this digest. */
        BLOB_UNKNOWN,
        /** No upload in progress has this id. */
        UPLOAD_UNKNOWN,
        /** The bytes do not hash to the digest given; nothing became visible. */
        DIGEST_MISMATCH,
        /** A chunk does not start where the upload ends ({@link #currentOffset()}); nothing was written. */
        OFFSET_MISMATCH
    }

    private final Reason reason;
    private final long currentOffset;

    public BlobException(Reason reason, String message) {
        this(reason, message, -1);
    }

    public BlobException(Reason reason, String message, long currentOffset) {
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason);
        this.currentOffset = currentOffset;
    }

    public Reason reason() {
        return reason;
    }

    /** For {@link Reason#OFFSET_MISMATCH}: the size of the upload, where a chunk must start; else -1. */
    public long currentOffset() {
        return currentOffset;
    }
}
