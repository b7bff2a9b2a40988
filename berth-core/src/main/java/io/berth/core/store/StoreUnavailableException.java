package io.berth.core.store;

import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;

/** The store could not do what was asked in time, or is broken. Never the client's fault. */
public final class StoreUnavailableException extends BerthException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(ErrorCode.INTERNAL, message, cause);
    }

    public StoreUnavailableException(String message) {
        super(ErrorCode.INTERNAL, message);
    }
}
