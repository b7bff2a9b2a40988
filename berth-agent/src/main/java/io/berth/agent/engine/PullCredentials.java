package io.berth.agent.engine;

import io.berth.core.runtime.RegistryAuth;
import io.berth.core.runtime.RuntimeFailure;
import java.time.Duration;

/**
 * Where the engine gets registry credentials for an image it is about to pull (on AWS, the task
 * execution role's ECR token; in Berth, the agent's own, see {@code io.berth.agent.registry}).
 * Called on engine workers, right before a pull (never for an image used from the cache);
 * implementations must be thread-safe.
 */
public interface PullCredentials {
    /** Every image is pulled anonymously. */
    PullCredentials ANONYMOUS = (image, timeout) -> null;

    /**
     * The credentials to pull {@code image} with, or null to pull it anonymously.
     *
     * @throws RuntimeFailure {@link RuntimeFailure.Kind#IMAGE_PULL} when the credentials were refused
     *     (the pull fails as a refused pull does), {@link RuntimeFailure.Kind#UNAVAILABLE} when they
     *     could not be had now (tried again later)
     */
    RegistryAuth forImage(String image, Duration timeout);

    /** The registry refused a pull with {@code auth}: do not hand those credentials out again. */
    default void refused(RegistryAuth auth) {
    }
}
