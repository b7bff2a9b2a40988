package io.berth.agent.channel;

/** A call on the {@link ServerChannel} failed. */
public final class ChannelException extends RuntimeException {
    public enum Kind {
        /** The server did not accept the token (or there is none yet): register again. */
        UNAUTHORIZED,
        /** The server is unreachable, timed out, or answered 5xx/429: retry with backoff. */
        UNAVAILABLE,
        /** The server refused the request (another 4xx): retrying the same request will not help soon. */
        REJECTED
    }

    private final Kind kind;
    private final int status;

    public ChannelException(Kind kind, int status, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
    }

    public ChannelException(Kind kind, String message) {
        this(kind, 0, message, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status of the server's answer, 0 when there was none. */
    public int status() {
        return status;
    }
}
