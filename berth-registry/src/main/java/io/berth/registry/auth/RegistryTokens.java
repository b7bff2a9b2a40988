package io.berth.registry.auth;

import io.berth.aws.sigv4.CredentialSource;
import io.berth.core.store.ConflictException;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The registry passwords GetAuthorizationToken hands out and {@code /v2/} accepts:
 * {@code v1.<accessKeyId>.<expiresEpochSeconds>.<scope>.<mac>}, where the MAC is an HMAC-SHA256 of
 * the rest under a random key kept in the store (kind {@value #KIND}), made at first use. A token is
 * good until it expires, while the access key that asked for it still exists, and while the key in
 * the store is the one it was made with (a wiped store revokes every token). The scope is {@code *}
 * for logins, or {@code repository@digest} for a GetDownloadUrlForLayer URL. Thread-safe.
 */
public final class RegistryTokens {
    public static final String KIND = "ecr-auth-key";
    private static final String KEY = "hmac";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    public static final String ANY_SCOPE = "*";

    /** A password and when it expires. */
    public record Issued(String password, Instant expiresAt) {
    }

    /** Whom a verified password speaks for, and what it may reach. */
    public record Verified(String accessKeyId, String scope, Instant expiresAt) {
        public boolean allows(String wanted) {
            return ANY_SCOPE.equals(scope) || scope.equals(wanted);
        }
    }

    private final StateStore store;
    private final CredentialSource credentials;
    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();
    /** Passwords whose MAC was checked, with the key they were checked against (bounded, cleared when full). */
    private final java.util.concurrent.ConcurrentHashMap<String, byte[]> checked = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int CHECKED_MAX = 10_000;
    private static final ThreadLocal<java.util.Map<String, Mac>> MACS = ThreadLocal.withInitial(java.util.HashMap::new);

    public RegistryTokens(StateStore store, CredentialSource credentials, InstantSource clock) {
        this.store = store;
        this.credentials = credentials;
        this.clock = clock;
    }

    public Issued issue(String accessKeyId, Duration ttl, String scope) {
        if (accessKeyId.indexOf('.') >= 0) {
            throw new IllegalArgumentException("access key id with a dot");
        }
        Instant expires = clock.instant().plus(ttl);
        String body = "v1." + accessKeyId + "." + expires.getEpochSecond() + "."
                + B64.encodeToString(scope.getBytes(StandardCharsets.UTF_8));
        return new Issued(body + "." + B64.encodeToString(mac(key(), body)), Instant.ofEpochSecond(expires.getEpochSecond()));
    }

    public Optional<Verified> verify(String password) {
        if (password == null) {
            return Optional.empty();
        }
        String[] parts = password.split("\\.", -1);
        if (parts.length != 5 || !"v1".equals(parts[0])) {
            return Optional.empty();
        }
        Optional<byte[]> key = store.get(KIND, KEY).map(v -> v.value());
        if (key.isEmpty()) {
            return Optional.empty();
        }
        try {
            byte[] checkedWith = checked.get(password);
            if (checkedWith == null || !java.util.Arrays.equals(checkedWith, key.get())) {
                String body = String.join(".", parts[0], parts[1], parts[2], parts[3]);
                if (!MessageDigest.isEqual(mac(key.get(), body), B64D.decode(parts[4]))) {
                    return Optional.empty();
                }
                if (checked.size() >= CHECKED_MAX) {
                    checked.clear();
                }
                checked.put(password, key.get());
            }
            Instant expires = Instant.ofEpochSecond(Long.parseLong(parts[2]));
            if (!clock.instant().isBefore(expires) || credentials.secretFor(parts[1]).isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Verified(parts[1], new String(B64D.decode(parts[3]), StandardCharsets.UTF_8),
                    expires));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] key() {
        for (int attempt = 0; attempt < 4; attempt++) {
            Optional<byte[]> existing = store.get(KIND, KEY).map(v -> v.value());
            if (existing.isPresent()) {
                return existing.get();
            }
            byte[] fresh = new byte[32];
            random.nextBytes(fresh);
            try {
                store.commit(List.of(Mutation.create(KIND, KEY, fresh)), Duration.ofSeconds(10));
                return fresh;
            } catch (ConflictException e) {
                // made concurrently: read it
            }
        }
        throw new IllegalStateException("cannot establish the registry token key");
    }

    private static byte[] mac(byte[] key, String body) {
        try {
            java.util.Map<String, Mac> macs = MACS.get();
            String id = java.util.HexFormat.of().formatHex(key);
            Mac mac = macs.get(id);
            if (mac == null) {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                macs.clear();
                macs.put(id, mac);
            }
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
