package io.berth.logs.event;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client-side batch id carried in PutLogEvents' {@code sequenceToken} (which AWS now ignores):
 * {@code berth:<producer>:<sequence>}. A producer numbers its batches of one stream 1, 2, 3, ... and
 * resends a batch with the same number after a restart; a batch whose number is not above the
 * producer's highest accepted one is a duplicate and is acknowledged without being stored again. Any
 * other token is ignored, as AWS does.
 *
 * @param producer letters, digits, '.', '-' and '_', at most 128
 */
public record BatchId(String producer, long sequence) {
    private static final Pattern FORM = Pattern.compile("berth:([A-Za-z0-9._-]{1,128}):(\\d{1,18})");

    public static Optional<BatchId> parse(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(token);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new BatchId(m.group(1), Long.parseLong(m.group(2))));
    }

    public String token() {
        return "berth:" + producer + ":" + sequence;
    }
}
