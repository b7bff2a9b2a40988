package io.berth.registry.error;

import io.berth.core.error.BerthException;
import java.util.Objects;

/** The registry's typed failure: a {@link RegistryError}, a message for the user, and optional detail. */
public final class RegistryException extends BerthException {
    private final RegistryError error;
    private final transient Object detail;

    public RegistryException(RegistryError error, String message) {
        this(error, message, null);
    }

    public RegistryException(RegistryError error, String message, Object detail) {
        super(error.code(), message);
        this.error = Objects.requireNonNull(error);
        this.detail = detail;
    }

    public RegistryError error() {
        return error;
    }

    /** Structured detail for the OCI error's {@code detail} member (a map or list); may be null. */
    public Object detail() {
        return detail;
    }
}
