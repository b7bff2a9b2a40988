package io.berth.agent.registry;

import io.berth.agent.engine.PullCredentials;
import io.berth.core.runtime.RegistryAuth;
import io.berth.core.runtime.RuntimeFailure;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's login to Berth's registry: images whose registry is the server's get the user and
 * password of an ECR token, others are pulled anonymously.
 *
 * <p>The registry is the server's when the image's {@code host[:port]} is the server URL's, or one
 * the registry itself reported as a {@code proxyEndpoint} of its tokens (its repositoryUri host,
 * e.g. {@code 127.0.0.1:4566} for a server reached as {@code localhost:4566}). To learn those, an
 * image from another registry host makes the login fetch a token when it holds none (at most once a
 * minute when that fails, and then the image is pulled anonymously).
 *
 * <p>The token is kept until {@link #REFRESH_MARGIN} (or half its lifetime, if shorter) before it
 * expires, and dropped when a registry refused it. Thread-safe: one fetch at a time.
 */
public final class RegistryLogin implements PullCredentials, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RegistryLogin.class);
    /** A token is refreshed this long before it expires. */
    static final Duration REFRESH_MARGIN = Duration.ofMinutes(15);
    /** After a failed fetch made only to learn the registry's addresses, none is tried for this long. */
    static final Duration DISCOVERY_BACKOFF = Duration.ofMinutes(1);

    private final String serverHost;
    private final TokenSource source;
    private final InstantSource clock;
    private final ReentrantLock lock = new ReentrantLock();
    private Held held; // guarded by lock
    private Instant nextDiscovery = Instant.MIN; // guarded by lock

    private record Held(AuthorizationToken token, Instant refreshAt) {
    }

    /** The login to the registry of the server at {@code serverUrl}, with tokens from {@code source}. */
    public RegistryLogin(URI serverUrl, TokenSource source, InstantSource clock) {
        this.serverHost = Objects.requireNonNull(RegistryHosts.authority(serverUrl.toString()), "server host");
        this.source = Objects.requireNonNull(source);
        this.clock = Objects.requireNonNull(clock);
    }

    /** The login with tokens from the server's ECR API, signed with the given key. */
    public static RegistryLogin ecr(URI serverUrl, String region, String accessKeyId, String secretAccessKey,
                                    InstantSource clock) {
        return new RegistryLogin(serverUrl, new EcrTokenClient(serverUrl, region, accessKeyId, secretAccessKey, clock),
                clock);
    }

    @Override
    public RegistryAuth forImage(String image, Duration timeout) {
        String registry = RegistryHosts.registryOf(image);
        if (registry == null) {
            return null;
        }
        lock.lock();
        try {
            Instant now = clock.instant();
            AuthorizationToken token = current(now);
            if (!ours(registry, token)) {
                if (token != null || now.isBefore(nextDiscovery)) {
                    return null;
                }
                try {
                    token = fetch(now, timeout);
                } catch (RuntimeFailure e) {
                    nextDiscovery = now.plus(DISCOVERY_BACKOFF);
                    log.debug("cannot learn the registry's addresses ({}); {} is pulled anonymously", e.getMessage(),
                            image);
                    return null;
                }
                if (!ours(registry, token)) {
                    return null;
                }
            }
            if (token == null) {
                token = fetch(now, timeout);
            }
            return new RegistryAuth(registry, token.username(), token.password());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void refused(RegistryAuth auth) {
        lock.lock();
        try {
            if (held != null && held.token().password().equals(auth.password())) {
                log.info("the registry refused the agent's token; a new one will be fetched");
                held = null;
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean ours(String registry, AuthorizationToken token) {
        return registry.equals(serverHost) || (token != null && token.registries().contains(registry));
    }

    /** The held token if it is not due for a refresh at {@code now}, else null. */
    private AuthorizationToken current(Instant now) {
        return held != null && now.isBefore(held.refreshAt()) ? held.token() : null;
    }

    private AuthorizationToken fetch(Instant now, Duration timeout) {
        AuthorizationToken token = source.fetch(timeout);
        held = new Held(token, refreshAt(now, token.expiresAt()));
        return token;
    }

    /** {@link #REFRESH_MARGIN} before expiry, or halfway through a shorter lifetime. */
    static Instant refreshAt(Instant fetchedAt, Instant expiresAt) {
        Duration lifetime = Duration.between(fetchedAt, expiresAt);
        if (lifetime.isNegative() || lifetime.isZero()) {
            return fetchedAt;
        }
        Duration margin = lifetime.dividedBy(2).compareTo(REFRESH_MARGIN) < 0 ? lifetime.dividedBy(2) : REFRESH_MARGIN;
        return expiresAt.minus(margin);
    }

    @Override
    public void close() {
        if (source instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                log.debug("closing the token source", e);
            }
        }
    }
}
