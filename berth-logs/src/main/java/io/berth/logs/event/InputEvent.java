package io.berth.logs.event;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** One event of a PutLogEvents batch: epoch milliseconds and the message. */
public record InputEvent(long timestamp, String message) {
    /** AWS counts every event as its UTF-8 message plus 26 bytes. */
    public static final int OVERHEAD = 26;

    public InputEvent {
        Objects.requireNonNull(message);
    }

    public long size() {
        return utf8Length(message) + OVERHEAD;
    }

    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    byte[] utf8() {
        return message.getBytes(StandardCharsets.UTF_8);
    }
}
