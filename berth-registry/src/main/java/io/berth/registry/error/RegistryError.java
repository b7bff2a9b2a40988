package io.berth.registry.error;

import io.berth.core.error.ErrorCode;

/**
 * What went wrong in the registry, in domain terms. The two edges translate it once each: the ECR
 * API into its exception shapes ({@code EcrErrors}), the OCI distribution API into its error codes
 * and statuses ({@code OciErrors}).
 *
 * <p>{@link #code()} is the core {@link ErrorCode} a {@link RegistryException} carries, which the
 * AWS JSON edge turns into the wire error. Core's {@code ErrorCode} does not (yet) name most ECR
 * conditions; a constant there with the same name as one here is used as soon as it exists, and
 * until then the generic {@link #fallback} stands in (see docs/adr/0005-registry.md).
 */
public enum RegistryError {
    REPOSITORY_NOT_FOUND(ErrorCode.RESOURCE_NOT_FOUND),
    REPOSITORY_ALREADY_EXISTS(ErrorCode.RESOURCE_IN_USE),
    REPOSITORY_NOT_EMPTY(ErrorCode.CLIENT),
    REPOSITORY_POLICY_NOT_FOUND(ErrorCode.CLIENT),
    LIFECYCLE_POLICY_NOT_FOUND(ErrorCode.CLIENT),
    LIFECYCLE_POLICY_PREVIEW_NOT_FOUND(ErrorCode.CLIENT),
    LIFECYCLE_POLICY_PREVIEW_IN_PROGRESS(ErrorCode.CLIENT),
    IMAGE_NOT_FOUND(ErrorCode.CLIENT),
    IMAGE_ALREADY_EXISTS(ErrorCode.CLIENT),
    IMAGE_TAG_ALREADY_EXISTS(ErrorCode.CLIENT),
    IMAGE_DIGEST_DOES_NOT_MATCH(ErrorCode.CLIENT),
    /** An image an index of the repository lists cannot be deleted. */
    IMAGE_REFERENCED(ErrorCode.INVALID_PARAMETER),
    /** A manifest that cannot be parsed or is not of a supported media type. */
    MANIFEST_INVALID(ErrorCode.INVALID_PARAMETER),
    /** A manifest over the 4 MiB limit. */
    MANIFEST_TOO_LARGE(ErrorCode.INVALID_PARAMETER),
    /** A manifest references blobs (config, layers) the repository does not have. */
    LAYERS_NOT_FOUND(ErrorCode.CLIENT),
    /** An index references manifests the repository does not have. */
    REFERENCED_IMAGES_NOT_FOUND(ErrorCode.CLIENT),
    /** A blob asked for by digest is not in the repository. */
    BLOB_NOT_FOUND(ErrorCode.CLIENT),
    UPLOAD_NOT_FOUND(ErrorCode.CLIENT),
    /** A chunk that does not start where the upload ends. */
    UPLOAD_OUT_OF_ORDER(ErrorCode.CLIENT),
    /** Uploaded content that does not hash to the digest given. */
    LAYER_DIGEST_MISMATCH(ErrorCode.CLIENT),
    LAYER_ALREADY_EXISTS(ErrorCode.CLIENT),
    EMPTY_UPLOAD(ErrorCode.CLIENT),
    /** A malformed digest, or one of an unsupported algorithm. */
    DIGEST_INVALID(ErrorCode.INVALID_PARAMETER),
    /** A repository name that does not follow the naming rules. */
    NAME_INVALID(ErrorCode.INVALID_PARAMETER),
    /** A tag that does not follow the tag rules. */
    TAG_INVALID(ErrorCode.INVALID_PARAMETER),
    INVALID_TAG_PARAMETER(ErrorCode.CLIENT),
    TOO_MANY_TAGS(ErrorCode.CLIENT),
    SCAN_NOT_FOUND(ErrorCode.CLIENT),
    UNSUPPORTED_IMAGE_TYPE(ErrorCode.UNSUPPORTED),
    /** The registry does not support the operation (e.g. a chunked upload through a mount). */
    UNSUPPORTED(ErrorCode.UNSUPPORTED),
    LIMIT_EXCEEDED(ErrorCode.LIMIT_EXCEEDED),
    INVALID_PARAMETER(ErrorCode.INVALID_PARAMETER),
    VALIDATION(ErrorCode.VALIDATION);

    private final ErrorCode fallback;
    private final ErrorCode code;

    RegistryError(ErrorCode fallback) {
        this.fallback = fallback;
        this.code = exact(name()) != null ? exact(name()) : fallback;
    }

    /** The core code this error travels as: core's constant of the same name, else {@link #fallback()}. */
    public ErrorCode code() {
        return code;
    }

    public ErrorCode fallback() {
        return fallback;
    }

    /** Whether core names this condition itself, so that the AWS edge can give it its own wire error. */
    public boolean exact() {
        return exact(name()) != null;
    }

    private static ErrorCode exact(String name) {
        for (ErrorCode c : ErrorCode.values()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }
}
