package io.berth.agent.registry;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A registry login from ECR's GetAuthorizationToken: the decoded token's user ({@code AWS}) and
 * password, when it expires, and the registry addresses ({@code host[:port]}, from each
 * {@code proxyEndpoint}) it is for.
 */
public record AuthorizationToken(String username, String password, Instant expiresAt, Set<String> registries) {
    public AuthorizationToken {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(expiresAt, "expiresAt");
        registries = registries == null ? Set.of() : Set.copyOf(registries);
    }

    @Override
    public String toString() {
        return "AuthorizationToken[" + username + ", ***, expires " + expiresAt + ", " + registries + "]";
    }
}
