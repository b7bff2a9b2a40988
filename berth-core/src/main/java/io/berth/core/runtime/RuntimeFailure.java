package io.berth.core.runtime;

/** A container engine refused or failed an operation. */
public final class RuntimeFailure extends RuntimeException {
    public enum Kind {
        /** The image does not exist in the registry, or access to it was refused. */
        IMAGE_PULL,
        /** The image is not present locally. */
        IMAGE_NOT_FOUND,
        /** The container could not be created (bad spec, name conflict, missing volume...). */
        CREATE,
        /** The container could not be started (bad command, port in use, mount failure...). */
        START,
        /** No such container. */
        NOT_FOUND,
        /** The engine did not answer in time. */
        TIMEOUT,
        /** The engine is unreachable or answered with a server error. */
        UNAVAILABLE
    }

    private final Kind kind;

    public RuntimeFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public RuntimeFailure(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }
}
