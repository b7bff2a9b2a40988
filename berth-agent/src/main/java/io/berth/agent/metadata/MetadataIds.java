package io.berth.agent.metadata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The id in a container's metadata URI ({@code /v4/<id>}): HMAC-SHA256 of its task ARN and container
 * name under a key of this host (kept 0600 in the agent's state directory), shown as a UUID. Stable
 * across agent restarts (containers keep the URI in their environment), and not guessable by other
 * containers on the host, so the URI is the container's capability to read its own task's metadata.
 * Thread-safe.
 */
final class MetadataIds {
    private final byte[] key;

    private MetadataIds(byte[] key) {
        this.key = key;
    }

    /** The ids of this host, with the key in {@code dir/key} (created at first use). */
    static MetadataIds load(Path dir) {
        Path file = dir.resolve("key");
        try {
            Files.createDirectories(dir);
            if (Files.isRegularFile(file)) {
                byte[] key = HexFormat.of().parseHex(Files.readString(file, StandardCharsets.US_ASCII).strip());
                if (key.length == 32) {
                    return new MetadataIds(key);
                }
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Path tmp = dir.resolve("key.tmp");
            Files.writeString(tmp, HexFormat.of().formatHex(key), StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return new MetadataIds(key);
        } catch (IOException | IllegalArgumentException e) {
            throw new UncheckedIOException(new IOException("cannot read or create the metadata key " + file, e));
        }
    }

    static MetadataIds withKey(byte[] key) {
        return new MetadataIds(key.clone());
    }

    String of(String taskArn, String containerName) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] h = mac.doFinal((taskArn + "\n" + containerName).getBytes(StandardCharsets.UTF_8));
            String hex = HexFormat.of().formatHex(h, 0, 16);
            return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                    + hex.substring(16, 20) + "-" + hex.substring(20, 32);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
