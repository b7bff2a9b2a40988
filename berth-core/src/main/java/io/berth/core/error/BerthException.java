package io.berth.core.error;

import java.util.Objects;

/** The one exception family of domain code: a code and a message meant for the API user. */
public class BerthException extends RuntimeException {
    private final ErrorCode code;

    public BerthException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code);
    }

    public BerthException(ErrorCode code, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = Objects.requireNonNull(code);
    }

    public ErrorCode code() {
        return code;
    }

    public static BerthException invalidParameter(String message) {
        return new BerthException(ErrorCode.INVALID_PARAMETER, message);
    }

    public static BerthException client(String message) {
        return new BerthException(ErrorCode.CLIENT, message);
    }
}
