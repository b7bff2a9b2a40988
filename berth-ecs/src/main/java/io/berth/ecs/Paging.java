package io.berth.ecs;

import io.berth.core.error.BerthException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque pagination tokens: the last key a page returned, bound to the listing it came from so a
 * token of one listing is refused by another.
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

    /** maxResults as ECS takes it: 1 to {@code max}, {@code fallback} when absent. */
    public static int limit(Integer maxResults, int fallback, int max) {
        if (maxResults == null) {
            return fallback;
        }
        if (maxResults < 1 || maxResults > max) {
            throw BerthException.invalidParameter("maxResults must be between 1 and " + max + ".");
        }
        return maxResults;
    }

    private static BerthException invalid() {
        return BerthException.invalidParameter("Invalid token: the nextToken is not valid for this request.");
    }
}
