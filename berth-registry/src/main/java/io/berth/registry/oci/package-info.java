/**
 * The OCI distribution spec 1.1 over Jetty: {@link io.berth.registry.oci.DistributionRoute}
 * authenticates and dispatches; blobs and uploads in {@code BlobEndpoints}; manifests, tags,
 * referrers and the catalog in {@code ManifestEndpoints}; {@code OciErrors} is the error table.
 * Blobs stream in both directions; only manifests (at most 4 MiB) are held whole.
 */
package io.berth.registry.oci;
