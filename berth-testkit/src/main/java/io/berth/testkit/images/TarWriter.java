package io.berth.testkit.images;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal, deterministic POSIX ustar writer: directories, regular files and symlinks, owned by
 * root, all with the same modification time. Enough for image layers and {@code docker save}
 * archives; names must fit the 100-byte ustar name field.
 *
 * <p>Not thread-safe.
 */
final class TarWriter {
    private static final int BLOCK = 512;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final long mtimeSeconds;
    private boolean finished;

    TarWriter(long mtimeSeconds) {
        this.mtimeSeconds = mtimeSeconds;
    }

    TarWriter directory(String name, int mode) {
        header(name.endsWith("/") ? name : name + "/", mode, 0, '5', "");
        return this;
    }

    TarWriter file(String name, int mode, byte[] content) {
        header(name, mode, content.length, '0', "");
        out.writeBytes(content);
        pad(content.length);
        return this;
    }

    TarWriter file(String name, int mode, String content) {
        return file(name, mode, content.getBytes(StandardCharsets.UTF_8));
    }

    TarWriter symlink(String name, String target) {
        header(name, 0777, 0, '2', target);
        return this;
    }

    /** Writes the two zero blocks that end an archive and returns its bytes. */
    byte[] finish() {
        if (!finished) {
            out.writeBytes(new byte[2 * BLOCK]);
            finished = true;
        }
        return out.toByteArray();
    }

    private void header(String name, int mode, long size, char type, String linkName) {
        if (finished) {
            throw new IllegalStateException("archive already finished");
        }
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0); // uid
        octal(h, 116, 8, 0); // gid
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtimeSeconds);
        h[156] = (byte) type;
        put(h, 157, 100, linkName);
        put(h, 257, 6, "ustar"); // magic "ustar\0"
        put(h, 263, 2, "00");
        put(h, 265, 32, "root");
        put(h, 297, 32, "root");
        // The checksum is computed with its own field taken as eight spaces.
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 6, String.format("%06o", sum));
        h[154] = 0; // six digits, NUL, space
        out.writeBytes(h);
    }

    private void pad(long size) {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            out.writeBytes(new byte[BLOCK - rest]);
        }
    }

    private static void put(byte[] h, int offset, int length, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > length) {
            throw new IllegalArgumentException("too long for a ustar header field of " + length + " bytes: " + value);
        }
        System.arraycopy(bytes, 0, h, offset, bytes.length);
    }

    private static void octal(byte[] h, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        String padded = "0".repeat(Math.max(0, length - 1 - digits.length())) + digits;
        put(h, offset, length - 1, padded); // the last byte stays NUL
    }
}
