/**
 * The registry: the OCI distribution API under {@code /v2/} and the ECR API, over one store and one
 * blob store. {@link io.berth.registry.RegistryApi#build} assembles it.
 *
 * <pre>
 *   docker / skopeo ──/v2/──► oci.DistributionRoute ─┐
 *   AWS CLI / SDK ──ECR JSON──► ecr.*Operations ──────┼─► repository.Repositories
 *                                                     ├─► image.Images ──────┐   (state store)
 *                                                     ├─► layer.Layers ──────┼─► blob.BlobStore (files)
 *   background: lifecycle.LifecycleEnforcer,          ├─► auth.RegistryTokens
 *               gc.GarbageCollector, scan.ImageScanner┘
 * </pre>
 *
 * State store kinds (all keys start with the repository name, so a repository's records are one
 * prefix scan away):
 *
 * <pre>
 *   ecr-repository         name                      Repository (settings, tags, policies)
 *   ecr-image              name@sha256:…             ImageRecord (manifest digest, tags, blobs, subject)
 *   ecr-tag                name:tag                  {digest}
 *   ecr-referrer           name@subject@digest       {}        (referrers API index)
 *   ecr-layer              name@sha256:…             {size, touchedAt, mediaType}  (blob linked to a repository;
 *                                                    mediaType once a manifest gives it)
 *   ecr-lifecycle-state    name                      {lastEvaluatedAt}
 *   ecr-lifecycle-preview  name                      {policyText, results}
 *   ecr-scan-findings      name@sha256:…             {completedAt, findings}
 *   ecr-auth-key           hmac                      32 random bytes (registry password key)
 * </pre>
 *
 * Errors are {@link io.berth.registry.error.RegistryException}s with a
 * {@link io.berth.registry.error.RegistryError}, translated once per edge ({@code ecr.EcrErrors},
 * {@code oci.OciErrors}).
 */
package io.berth.registry;
