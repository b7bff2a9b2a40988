package io.berth.registry.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A streaming reader of tar archives (ustar, PAX {@code path}/{@code size} records, GNU long names),
 * enough to walk image layers. Not thread-safe.
 */
final class TarReader {
    /** One entry; its content is read with {@link TarReader#content} before the next {@link #next}. */
    record Entry(String name, long size, char type, String linkName) {
        boolean file() {
            return type == '0' || type == '\0' || type == '7';
        }
    }

    private final InputStream in;
    private long remaining;
    private long padding;

    TarReader(InputStream in) {
        this.in = in;
    }

    /** The next entry, or null at the end of the archive. */
    Entry next() throws IOException {
        skip(remaining + padding);
        remaining = 0;
        padding = 0;
        String longName = null;
        String paxPath = null;
        long paxSize = -1;
        while (true) {
            byte[] header = in.readNBytes(512);
            if (header.length < 512 || allZero(header)) {
                return null;
            }
            String name = string(header, 0, 100);
            long size = number(header, 124, 12);
            char type = (char) header[156];
            String link = string(header, 157, 100);
            if (string(header, 257, 5).equals("ustar")) {
                String prefix = string(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
            }
            long pad = (512 - size % 512) % 512;
            if (type == 'x' || type == 'g' || type == 'L') {
                byte[] data = in.readNBytes((int) Math.min(size, 1 << 20));
                skip(size - data.length + pad);
                if (type == 'L') {
                    longName = cString(data);
                } else if (type == 'x') {
                    String[] pax = pax(data);
                    if (pax[0] != null) {
                        paxPath = pax[0];
                    }
                    if (pax[1] != null) {
                        paxSize = Long.parseLong(pax[1]);
                    }
                }
                continue;
            }
            if (paxSize >= 0) {
                size = paxSize;
                pad = (512 - size % 512) % 512;
            }
            remaining = size;
            padding = pad;
            String full = paxPath != null ? paxPath : longName != null ? longName : name;
            return new Entry(full, size, type, link);
        }
    }

    /** The current entry's content (at most {@code limit} bytes are read; the rest is skipped). */
    byte[] content(int limit) throws IOException {
        byte[] data = in.readNBytes((int) Math.min(remaining, limit));
        remaining -= data.length;
        return data;
    }

    private void skip(long n) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    return;
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static String[] pax(byte[] data) {
        String[] out = new String[2];
        String text = new String(data, StandardCharsets.UTF_8);
        int at = 0;
        while (at < text.length()) {
            int space = text.indexOf(' ', at);
            if (space < 0) {
                break;
            }
            int length;
            try {
                length = Integer.parseInt(text.substring(at, space));
            } catch (NumberFormatException e) {
                break;
            }
            if (length <= 0 || at + length > text.length()) {
                break;
            }
            String record = text.substring(space + 1, at + length - 1);
            int eq = record.indexOf('=');
            if (eq > 0) {
                String key = record.substring(0, eq);
                if (key.equals("path")) {
                    out[0] = record.substring(eq + 1);
                } else if (key.equals("size")) {
                    out[1] = record.substring(eq + 1);
                }
            }
            at += length;
        }
        return out;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String string(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static String cString(byte[] b) {
        return string(b, 0, b.length);
    }

    private static long number(byte[] b, int off, int len) {
        if ((b[off] & 0x80) != 0) {
            long v = b[off] & 0x7f;
            for (int i = off + 1; i < off + len; i++) {
                v = (v << 8) | (b[i] & 0xff);
            }
            return v;
        }
        String s = string(b, off, len).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }
}
