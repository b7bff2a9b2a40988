/**
 * The {@link io.berth.registry.blob.BlobStore} port (content-addressed, verified, atomic blobs and
 * resumable uploads, with grace-protected garbage collection) and its filesystem adapter
 * {@link io.berth.registry.blob.FileBlobStore} (on-disk layout in its javadoc).
 */
package io.berth.registry.blob;
