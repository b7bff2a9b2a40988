package io.berth.logs;

import io.berth.core.error.BerthException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque pagination tokens of the Describe operations: the last key a page returned, bound to the
 * listing it came from, so that a token of one listing is refused by another.
 */
public final class Paging {
    private Paging() {
    }

    public static String token(String listing, String lastKey) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((listing + "\u0000" + lastKey).getBytes(StandardCharsets.UTF_8));
    }

    /** The last key of the previous page, or null for the first page. */
    public static String afterKey(String listing, String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int sep = text.indexOf('\u0000');
            if (sep < 0 || !text.substring(0, sep).equals(listing)) {
                throw invalid();
            }
            return text.substring(sep + 1);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    /** The {@code limit} of a Describe operation: 1 to 50 (the model checks), 50 when absent. */
    public static int limit(Integer limit, int fallback) {
        return limit == null ? fallback : limit;
    }

    public static BerthException invalid() {
        return BerthException.invalidParameter("The specified nextToken is invalid.");
    }
}
