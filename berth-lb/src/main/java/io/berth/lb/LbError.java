package io.berth.lb;

import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;

/**
 * The load balancer's own error reasons, finer than the shared {@link ErrorCode}s. Each one carries
 * the shared code it falls under; {@link LoadBalancerApi} holds the one table from these to the
 * ELBv2 wire errors.
 */
public enum LbError {
    LOAD_BALANCER_NOT_FOUND(ErrorCode.RESOURCE_NOT_FOUND),
    TARGET_GROUP_NOT_FOUND(ErrorCode.RESOURCE_NOT_FOUND),
    LISTENER_NOT_FOUND(ErrorCode.RESOURCE_NOT_FOUND),
    RULE_NOT_FOUND(ErrorCode.RESOURCE_NOT_FOUND),
    DUPLICATE_LOAD_BALANCER_NAME(ErrorCode.CLIENT),
    DUPLICATE_TARGET_GROUP_NAME(ErrorCode.CLIENT),
    DUPLICATE_LISTENER(ErrorCode.CLIENT),
    DUPLICATE_TAG_KEYS(ErrorCode.INVALID_PARAMETER),
    PRIORITY_IN_USE(ErrorCode.CLIENT),
    RESOURCE_IN_USE(ErrorCode.RESOURCE_IN_USE),
    INVALID_CONFIGURATION(ErrorCode.INVALID_PARAMETER),
    INVALID_TARGET(ErrorCode.INVALID_PARAMETER),
    INVALID_ACTION(ErrorCode.INVALID_PARAMETER),
    INVALID_SCHEME(ErrorCode.INVALID_PARAMETER),
    UNSUPPORTED_PROTOCOL(ErrorCode.UNSUPPORTED),
    OPERATION_NOT_PERMITTED(ErrorCode.CLIENT),
    TOO_MANY_TAGS(ErrorCode.LIMIT_EXCEEDED),
    TOO_MANY_RULES(ErrorCode.LIMIT_EXCEEDED),
    TOO_MANY_TARGETS(ErrorCode.LIMIT_EXCEEDED),
    TOO_MANY_ACTIONS(ErrorCode.LIMIT_EXCEEDED);

    private final ErrorCode code;

    LbError(ErrorCode code) {
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public LbException exception(String message) {
        return new LbException(this, message);
    }

    /** A domain exception with its load-balancer reason. */
    public static final class LbException extends BerthException {
        private final LbError error;

        LbException(LbError error, String message) {
            super(error.code(), message);
            this.error = error;
        }

        public LbError error() {
            return error;
        }
    }
}
