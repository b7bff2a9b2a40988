package io.berth.aws.http;

import java.util.Optional;
import org.eclipse.jetty.server.Request;

/**
 * What the edge learns of one request while serving it: its id, which service and operation it
 * called and how it ended. The edge records it (one timer sample, one log line when it failed) once the
 * handler returns. Confined to the request's thread.
 */
public final class Exchange {
    static final String ATTRIBUTE = Exchange.class.getName();
    /** The operation tag of a request whose operation the service does not have (bounded cardinality). */
    public static final String UNKNOWN = "unknown";

    private final String requestId;
    private final long startNanos;
    private String service = "none";
    private String operation = UNKNOWN;
    private int status;
    private String errorCode = "";

    Exchange(String requestId, long startNanos) {
        this.requestId = requestId;
        this.startNanos = startNanos;
    }

    /** The exchange of a request that came through the {@link EdgeHandler}; empty for one served alone. */
    public static Optional<Exchange> of(Request request) {
        return request.getAttribute(ATTRIBUTE) instanceof Exchange e ? Optional.of(e) : Optional.empty();
    }

    /** The request id of an edge request, else a new one. */
    public static String requestId(Request request) {
        return of(request).map(Exchange::requestId).orElseGet(Exchange::newRequestId);
    }

    public String requestId() {
        return requestId;
    }

    long startNanos() {
        return startNanos;
    }

    /**
     * Names the service (its signing name) and the operation; pass only an operation the service's
     * model has ({@link #UNKNOWN} otherwise).
     */
    public void identify(String service, String operation) {
        this.service = service;
        this.operation = operation;
    }

    /** How the request ended: the HTTP status and the AWS error code (null on success). */
    public void outcome(int status, String errorCode) {
        this.status = status;
        this.errorCode = errorCode == null ? "" : errorCode;
    }

    public String service() {
        return service;
    }

    public String operation() {
        return operation;
    }

    /** The status set by {@link #outcome}, 0 if none was. */
    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }

    /**
     * A request id in UUID form (version 4 bits set). Not a secret, so drawn from a thread-local
     * generator: UUID.randomUUID's SecureRandom is one lock all requests would queue on.
     */
    public static String newRequestId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long hi = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lo = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new java.util.UUID(hi, lo).toString();
    }
}
