package io.berth.aws.sigv4;

import java.util.Optional;

/** Where the edge finds the secret of an access key. Implementations must be thread-safe. */
@FunctionalInterface
public interface CredentialSource {
    Optional<String> secretFor(String accessKeyId);
}
