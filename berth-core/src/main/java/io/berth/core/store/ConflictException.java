package io.berth.core.store;

import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;

/** A transaction's expectation did not hold: someone else wrote first. Nothing was applied. */
public final class ConflictException extends BerthException {
    private final String kind;
    private final String key;

    public ConflictException(String kind, String key, long expected, long actual) {
        super(ErrorCode.CONFLICT, "Concurrent modification of " + kind + "/" + key
                + " (expected version " + expected + ", found " + actual + ")");
        this.kind = kind;
        this.key = key;
    }

    public String kind() {
        return kind;
    }

    public String key() {
        return key;
    }
}
