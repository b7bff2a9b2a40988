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
    /** A fault of the server, never the client's input. */
    INTERNAL
}
