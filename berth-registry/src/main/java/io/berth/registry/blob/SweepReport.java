package io.berth.registry.blob;

/** What one {@link BlobStore#sweep} did: blobs looked at, blobs and bytes deleted. */
public record SweepReport(long examined, long deleted, long bytesFreed) {
}
