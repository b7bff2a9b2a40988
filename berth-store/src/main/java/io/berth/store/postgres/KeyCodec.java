package io.berth.store.postgres;

/**
 * Keys as PostgreSQL stores them: the UTF-16 code units of the Java string, big-endian, in a
 * {@code bytea}. PostgreSQL compares {@code bytea} bytewise, so the database orders keys exactly as
 * {@link String#compareTo} does (a {@code text} column, even in the "C" collation, orders by code
 * point, which puts U+FF61 before U+1F600 where Java puts it after), and every Java string, lone
 * surrogates included, round-trips. A key prefix is a byte prefix, so a prefix scan is a range scan.
 */
final class KeyCodec {

    private KeyCodec() {
    }

    static byte[] encode(String key) {
        byte[] out = new byte[key.length() * 2];
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            out[2 * i] = (byte) (c >>> 8);
            out[2 * i + 1] = (byte) c;
        }
        return out;
    }

    static String decode(byte[] bytes) {
        if (bytes.length % 2 != 0) {
            throw new IllegalArgumentException("not a stored key: odd length " + bytes.length);
        }
        char[] chars = new char[bytes.length / 2];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) (((bytes[2 * i] & 0xFF) << 8) | (bytes[2 * i + 1] & 0xFF));
        }
        return new String(chars);
    }

    /**
     * The least byte string greater than every string that starts with {@code prefix}, or null when
     * there is none (the prefix is empty or all {@code 0xFF}): the exclusive end of a prefix scan.
     */
    static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] end = java.util.Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return null;
    }
}
