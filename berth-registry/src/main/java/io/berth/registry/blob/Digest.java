package io.berth.registry.blob;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A content digest as the OCI image spec writes it, {@code algorithm ":" encoded}. Berth accepts the
 * two registered algorithms, {@code sha256} (64 lower-case hex digits) and {@code sha512} (128).
 */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {
    public static final String SHA256 = "sha256";
    public static final String SHA512 = "sha512";

    public Digest {
        Objects.requireNonNull(algorithm);
        Objects.requireNonNull(hex);
        int length = switch (algorithm) {
            case SHA256 -> 64;
            case SHA512 -> 128;
            default -> throw new IllegalArgumentException("unsupported digest algorithm: " + algorithm);
        };
        if (hex.length() != length || !isLowerHex(hex)) {
            throw new IllegalArgumentException("invalid " + algorithm + " digest: " + hex);
        }
    }

    /** Parses {@code sha256:...} or {@code sha512:...}; throws IllegalArgumentException otherwise. */
    public static Digest parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no digest");
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("invalid digest: " + text);
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    public static Optional<Digest> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The digest of {@code content} with {@code algorithm}. */
    public static Digest of(String algorithm, byte[] content) {
        MessageDigest md = hasher(algorithm);
        return new Digest(algorithm, HexFormat.of().formatHex(md.digest(content)));
    }

    public static Digest sha256(byte[] content) {
        return of(SHA256, content);
    }

    /** The digest a finished hasher of {@code algorithm} gives. */
    public static Digest from(String algorithm, MessageDigest finished) {
        return new Digest(algorithm, HexFormat.of().formatHex(finished.digest()));
    }

    /** A fresh hasher for {@code algorithm} ({@code sha256} or {@code sha512}). */
    public static MessageDigest hasher(String algorithm) {
        try {
            return MessageDigest.getInstance(switch (algorithm) {
                case SHA256 -> "SHA-256";
                case SHA512 -> "SHA-512";
                default -> throw new IllegalArgumentException("unsupported digest algorithm: " + algorithm);
            });
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public MessageDigest newHasher() {
        return hasher(algorithm);
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    @Override
    public int compareTo(Digest o) {
        return toString().compareTo(o.toString());
    }

    private static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
