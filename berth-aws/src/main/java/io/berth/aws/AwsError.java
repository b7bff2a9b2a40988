package io.berth.aws;

/** A wire error of an AWS protocol: its shape name (the {@code __type}) and HTTP status. */
public record AwsError(String type, int status) {
    public boolean serverFault() {
        return status >= 500;
    }
}
