/**
 * Images (manifests and indexes), tags and referrers of repositories
 * ({@link io.berth.registry.image.Images}), and the manifest reader.
 *
 * <p>Lifecycle of a push: referenced blobs checked (and touched, for GC) → manifest bytes written
 * as a blob → one store transaction: image record, tag record (moved off its old image, refused for
 * an immutable tag), referrer entry. A tag therefore never points at a missing image.
 */
package io.berth.registry.image;
