package io.berth.registry.oci;

import io.berth.registry.error.RegistryError;

/** The one table from the registry's errors to the OCI distribution spec's error codes and statuses. */
final class OciErrors {
    /** An OCI error: its code and the HTTP status it travels with. */
    record OciError(String code, int status) {
    }

    static final OciError UNAUTHORIZED = new OciError("UNAUTHORIZED", 401);
    static final OciError UNSUPPORTED = new OciError("UNSUPPORTED", 405);
    static final OciError NAME_UNKNOWN = new OciError("NAME_UNKNOWN", 404);
    static final OciError UNKNOWN = new OciError("UNKNOWN", 500);

    private OciErrors() {
    }

    static OciError of(RegistryError error) {
        return switch (error) {
            case REPOSITORY_NOT_FOUND -> NAME_UNKNOWN;
            case NAME_INVALID -> new OciError("NAME_INVALID", 400);
            case IMAGE_NOT_FOUND -> new OciError("MANIFEST_UNKNOWN", 404);
            case IMAGE_TAG_ALREADY_EXISTS, TAG_INVALID -> new OciError("TAG_INVALID", 400);
            case IMAGE_DIGEST_DOES_NOT_MATCH, LAYER_DIGEST_MISMATCH, DIGEST_INVALID -> new OciError("DIGEST_INVALID", 400);
            case MANIFEST_INVALID, IMAGE_ALREADY_EXISTS -> new OciError("MANIFEST_INVALID", 400);
            case MANIFEST_TOO_LARGE -> new OciError("SIZE_INVALID", 413);
            case LAYERS_NOT_FOUND, REFERENCED_IMAGES_NOT_FOUND -> new OciError("MANIFEST_BLOB_UNKNOWN", 400);
            case BLOB_NOT_FOUND, LAYER_ALREADY_EXISTS -> new OciError("BLOB_UNKNOWN", 404);
            case UPLOAD_NOT_FOUND -> new OciError("BLOB_UPLOAD_UNKNOWN", 404);
            case UPLOAD_OUT_OF_ORDER -> new OciError("BLOB_UPLOAD_INVALID", 416);
            case EMPTY_UPLOAD -> new OciError("BLOB_UPLOAD_INVALID", 400);
            case IMAGE_REFERENCED -> new OciError("DENIED", 403);
            case LIMIT_EXCEEDED -> new OciError("TOOMANYREQUESTS", 429);
            case UNSUPPORTED, UNSUPPORTED_IMAGE_TYPE -> UNSUPPORTED;
            default -> new OciError("UNSUPPORTED", 400);
        };
    }
}
