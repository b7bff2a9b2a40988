package io.berth.registry.ecr;

import io.berth.aws.json.JsonService;
import io.berth.core.error.ErrorCode;
import io.berth.registry.error.RegistryError;

/** The one table from the registry's errors to ECR's exception shapes. */
public final class EcrErrors {
    private EcrErrors() {
    }

    public static String shape(RegistryError error) {
        return switch (error) {
            case REPOSITORY_NOT_FOUND -> "RepositoryNotFoundException";
            case REPOSITORY_ALREADY_EXISTS -> "RepositoryAlreadyExistsException";
            case REPOSITORY_NOT_EMPTY -> "RepositoryNotEmptyException";
            case REPOSITORY_POLICY_NOT_FOUND -> "RepositoryPolicyNotFoundException";
            case LIFECYCLE_POLICY_NOT_FOUND -> "LifecyclePolicyNotFoundException";
            case LIFECYCLE_POLICY_PREVIEW_NOT_FOUND -> "LifecyclePolicyPreviewNotFoundException";
            case LIFECYCLE_POLICY_PREVIEW_IN_PROGRESS -> "LifecyclePolicyPreviewInProgressException";
            case IMAGE_NOT_FOUND -> "ImageNotFoundException";
            case IMAGE_ALREADY_EXISTS -> "ImageAlreadyExistsException";
            case IMAGE_TAG_ALREADY_EXISTS -> "ImageTagAlreadyExistsException";
            case IMAGE_DIGEST_DOES_NOT_MATCH -> "ImageDigestDoesNotMatchException";
            case LAYERS_NOT_FOUND, BLOB_NOT_FOUND -> "LayersNotFoundException";
            case REFERENCED_IMAGES_NOT_FOUND -> "ReferencedImagesNotFoundException";
            case UPLOAD_NOT_FOUND -> "UploadNotFoundException";
            case UPLOAD_OUT_OF_ORDER -> "InvalidLayerPartException";
            case LAYER_DIGEST_MISMATCH -> "InvalidLayerException";
            case LAYER_ALREADY_EXISTS -> "LayerAlreadyExistsException";
            case EMPTY_UPLOAD -> "EmptyUploadException";
            case INVALID_TAG_PARAMETER -> "InvalidTagParameterException";
            case TOO_MANY_TAGS -> "TooManyTagsException";
            case SCAN_NOT_FOUND -> "ScanNotFoundException";
            case UNSUPPORTED_IMAGE_TYPE, UNSUPPORTED -> "UnsupportedImageTypeException";
            case LIMIT_EXCEEDED -> "LimitExceededException";
            case VALIDATION -> "ValidationException";
            case MANIFEST_INVALID, MANIFEST_TOO_LARGE, DIGEST_INVALID, NAME_INVALID, TAG_INVALID, IMAGE_REFERENCED,
                 INVALID_PARAMETER -> "InvalidParameterException";
        };
    }

    /**
     * Adds the table to a service: first the generic codes (what errors without a core code of their
     * own travel as), then every registry error core names exactly.
     */
    public static JsonService.Builder register(JsonService.Builder b) {
        b.error(ErrorCode.INVALID_PARAMETER, "InvalidParameterException")
                .error(ErrorCode.CLIENT, "InvalidParameterException")
                .error(ErrorCode.RESOURCE_NOT_FOUND, "RepositoryNotFoundException")
                .error(ErrorCode.RESOURCE_IN_USE, "RepositoryAlreadyExistsException")
                .error(ErrorCode.LIMIT_EXCEEDED, "LimitExceededException")
                .error(ErrorCode.UNSUPPORTED, "UnsupportedImageTypeException")
                .error(ErrorCode.INTERNAL, "ServerException");
        for (RegistryError e : RegistryError.values()) {
            if (e.exact()) {
                b.error(e.code(), shape(e));
            }
        }
        return b;
    }
}
