package io.berth.registry.blob;

import java.util.Objects;

/** A complete, verified blob: its digest and size in bytes. */
public record BlobInfo(Digest digest, long size) {
    public BlobInfo {
        Objects.requireNonNull(digest);
        if (size < 0) {
            throw new IllegalArgumentException("negative size");
        }
    }
}
