package io.berth.agent.registry;

import io.berth.core.runtime.RuntimeFailure;
import java.time.Duration;

/** Where registry tokens come from: the server's ECR GetAuthorizationToken. Thread-safe. */
public interface TokenSource {
    /**
     * A fresh token, within {@code timeout}.
     *
     * @throws RuntimeFailure {@link RuntimeFailure.Kind#IMAGE_PULL} when the server refused (bad
     *     key, no permission), {@link RuntimeFailure.Kind#UNAVAILABLE} when it did not answer or failed
     */
    AuthorizationToken fetch(Duration timeout);
}
