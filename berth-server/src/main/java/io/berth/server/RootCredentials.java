package io.berth.server;

import io.berth.aws.sigv4.CredentialSource;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Access keys, held by the store in kind {@value #KIND} (key: access key id, value: secret). At
 * first start a root key is made (or taken from configuration) and written, mode 0600, as profile
 * {@code berth} of an AWS shared-credentials file in the data directory.
 */
public final class RootCredentials implements CredentialSource {
    public static final String KIND = "iam-access-key";
    private static final char[] KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final char[] SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    private final StateStore store;
    private final Path file;
    private volatile String accessKeyId;
    private volatile String secret;

    public RootCredentials(StateStore store, Path dataDir) {
        this.store = store;
        this.file = dataDir.resolve("credentials");
    }

    /** Makes sure the root key exists in the store and the credentials file; returns whether it was made now. */
    public boolean ensure(String configuredKeyId, String configuredSecret) throws IOException {
        boolean created = false;
        if (configuredKeyId != null) {
            accessKeyId = configuredKeyId;
            secret = configuredSecret;
        } else {
            Optional<String[]> fromFile = readFile();
            if (fromFile.isPresent()) {
                accessKeyId = fromFile.get()[0];
                secret = fromFile.get()[1];
            } else {
                SecureRandom random = new SecureRandom();
                accessKeyId = "AKIA" + random(random, KEY_ALPHABET, 16);
                secret = random(random, SECRET_ALPHABET, 40);
                created = true;
            }
        }
        byte[] value = secret.getBytes(StandardCharsets.UTF_8);
        if (store.get(KIND, accessKeyId).map(v -> !java.util.Arrays.equals(v.value(), value)).orElse(true)) {
            store.commit(List.of(new Mutation.Put(KIND, accessKeyId, Mutation.ANY, value)), Duration.ofSeconds(10));
        }
        writeFile();
        return created;
    }

    /** Puts the root key back after the store was wiped. */
    public void reseed() {
        store.commit(List.of(new Mutation.Put(KIND, accessKeyId, Mutation.ANY, secret.getBytes(StandardCharsets.UTF_8))),
                Duration.ofSeconds(10));
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    public String secretAccessKey() {
        return secret;
    }

    public Path file() {
        return file;
    }

    @Override
    public Optional<String> secretFor(String keyId) {
        return store.get(KIND, keyId).map(v -> new String(v.value(), StandardCharsets.UTF_8));
    }

    private Optional<String[]> readFile() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String key = null;
        String sec = null;
        boolean inProfile = false;
        for (String line : Files.readAllLines(file)) {
            String t = line.trim();
            if (t.startsWith("[")) {
                inProfile = t.equals("[berth]");
            } else if (inProfile && t.startsWith("aws_access_key_id")) {
                key = t.substring(t.indexOf('=') + 1).trim();
            } else if (inProfile && t.startsWith("aws_secret_access_key")) {
                sec = t.substring(t.indexOf('=') + 1).trim();
            }
        }
        return key != null && sec != null ? Optional.of(new String[] {key, sec}) : Optional.empty();
    }

    private void writeFile() throws IOException {
        String text = "[berth]\naws_access_key_id = " + accessKeyId + "\naws_secret_access_key = " + secret + "\n";
        if (Files.exists(file) && Files.readString(file).equals(text)) {
            return;
        }
        Path tmp = file.resolveSibling("credentials.tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String random(SecureRandom random, char[] alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return new String(out);
    }
}
