package io.berth.aws.sigv4;

/**
 * A request was refused by authentication. {@code type} is the error name AWS's JSON protocols use
 * ({@code MissingAuthenticationTokenException}, {@code UnrecognizedClientException},
 * {@code InvalidSignatureException}, {@code IncompleteSignatureException}); the query protocol maps
 * it to its own names at its edge.
 */
public final class AuthException extends RuntimeException {
    private final String type;
    private final int status;

    public AuthException(String type, int status, String message) {
        super(message, null, false, false);
        this.type = type;
        this.status = status;
    }

    public String type() {
        return type;
    }

    public int status() {
        return status;
    }

    static AuthException missing() {
        return new AuthException("MissingAuthenticationTokenException", 403, "Missing Authentication Token");
    }

    static AuthException incomplete(String message) {
        return new AuthException("IncompleteSignatureException", 400, message);
    }

    static AuthException unrecognized() {
        return new AuthException("UnrecognizedClientException", 400,
                "The security token included in the request is invalid.");
    }

    static AuthException badSignature() {
        return new AuthException("InvalidSignatureException", 400,
                "The request signature we calculated does not match the signature you provided. "
                        + "Check your AWS Secret Access Key and signing method. "
                        + "Consult the service documentation for details.");
    }

    static AuthException signature(String message) {
        return new AuthException("InvalidSignatureException", 400, message);
    }
}
