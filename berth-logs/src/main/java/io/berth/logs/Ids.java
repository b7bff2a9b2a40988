package io.berth.logs;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Identifiers of log groups and streams: 16 hex digits (64 random bits). They name the store keys of
 * a stream's chunks, so that a group or stream deleted and created again under the same name never
 * sees the data of its predecessor.
 */
public final class Ids implements Supplier<String> {
    private final RandomGenerator random;

    public Ids(RandomGenerator random) {
        this.random = random;
    }

    /** Ids from a secure random source (the server's default). */
    public static Ids secure() {
        return new Ids(new SecureRandom());
    }

    @Override
    public String get() {
        synchronized (this) {
            return HexFormat.of().toHexDigits(random.nextLong());
        }
    }
}
