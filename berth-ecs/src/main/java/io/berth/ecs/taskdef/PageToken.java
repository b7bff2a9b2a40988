package io.berth.ecs.taskdef;

import io.berth.core.error.BerthException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Opaque {@code nextToken}s: base64url of a kind tag and the position after which the next page
 * starts. A token that does not decode to the expected kind is refused with InvalidParameterException.
 */
final class PageToken {
    private static final char SEPARATOR = '\n';

    private PageToken() {
    }

    static String encode(String kind, String... position) {
        String text = kind + SEPARATOR + String.join(String.valueOf(SEPARATOR), position);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code parts} position values of a token of {@code kind}. */
    static List<String> decode(String token, String kind, int parts) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            List<String> fields = Arrays.asList(text.split(String.valueOf(SEPARATOR), -1));
            if (fields.size() == parts + 1 && fields.get(0).equals(kind)) {
                return List.copyOf(fields.subList(1, fields.size()));
            }
        } catch (IllegalArgumentException e) {
            // not base64: refused below
        }
        throw BerthException.invalidParameter("The specified nextToken is invalid.");
    }
}
