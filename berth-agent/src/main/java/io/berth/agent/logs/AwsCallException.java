package io.berth.agent.logs;

/**
 * A call to an AWS JSON API failed: the service's error ({@code type}, e.g.
 * ResourceNotFoundException, with its HTTP status) or no answer at all (status 0).
 */
public final class AwsCallException extends RuntimeException {
    private final int status;
    private final String type;

    public AwsCallException(int status, String type, String message, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
        this.type = type == null ? "" : type;
    }

    public int status() {
        return status;
    }

    /** The error shape without namespace, e.g. ResourceNotFoundException; "" without an answer. */
    public String type() {
        return type;
    }

    /**
     * Worth trying again later: no answer, a server fault, throttling, refused credentials, or a
     * server that does not serve the API (yet).
     */
    public boolean retryable() {
        return status == 0 || status >= 500 || status == 429 || status == 403 || status == 401 || status == 404
                || type.contains("Throttling") || type.equals("ServiceUnavailableException")
                || type.equals("UnknownOperationException");
    }
}
