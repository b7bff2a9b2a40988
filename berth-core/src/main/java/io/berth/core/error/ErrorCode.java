package io.berth.core.error;

/**
 * What went wrong, in domain terms. The protocol edge of each service owns one table that turns a
 * code into its wire error (AWS {@code __type} and HTTP status, or an OCI error code); domain code
 * never names a wire error itself.
 */
public enum ErrorCode {
    /** The request is malformed or a parameter is not acceptable. */
    INVALID_PARAMETER,
    /** The client did something the resource's state does not allow. */
    CLIENT,
    /** A schema-level constraint failed (required member, length, range, pattern, enum). */
    VALIDATION,
    /** The request body could not be read as the operation's input shape. */
    SERIALIZATION,
    CLUSTER_NOT_FOUND,
    CLUSTER_CONTAINS_SERVICES,
    CLUSTER_CONTAINS_TASKS,
    CLUSTER_CONTAINS_CONTAINER_INSTANCES,
    SERVICE_NOT_FOUND,
    /** The service is DRAINING or INACTIVE. */
    SERVICE_NOT_ACTIVE,
    RESOURCE_NOT_FOUND,
    RESOURCE_IN_USE,
    LIMIT_EXCEEDED,
    /** Optimistic concurrency lost repeatedly; the client may retry. */
    CONFLICT,
    UNSUPPORTED,
    // Registry (ECR and OCI distribution): each maps to the ECR exception of the same name.
    REPOSITORY_NOT_FOUND,
    REPOSITORY_ALREADY_EXISTS,
    REPOSITORY_NOT_EMPTY,
    REPOSITORY_POLICY_NOT_FOUND,
    LIFECYCLE_POLICY_NOT_FOUND,
    LIFECYCLE_POLICY_PREVIEW_NOT_FOUND,
    LIFECYCLE_POLICY_PREVIEW_IN_PROGRESS,
    IMAGE_NOT_FOUND,
    IMAGE_ALREADY_EXISTS,
    IMAGE_TAG_ALREADY_EXISTS,
    IMAGE_DIGEST_DOES_NOT_MATCH,
    LAYERS_NOT_FOUND,
    REFERENCED_IMAGES_NOT_FOUND,
    BLOB_NOT_FOUND,
    UPLOAD_NOT_FOUND,
    UPLOAD_OUT_OF_ORDER,
    LAYER_DIGEST_MISMATCH,
    LAYER_ALREADY_EXISTS,
    EMPTY_UPLOAD,
    INVALID_TAG_PARAMETER,
    TOO_MANY_TAGS,
    SCAN_NOT_FOUND,
    UNSUPPORTED_IMAGE_TYPE,
    /** A fault of the server, never the client's input. */
    // Paging: a NextToken the service did not hand out (CloudWatch InvalidNextToken).
    INVALID_NEXT_TOKEN,
    INTERNAL
}
