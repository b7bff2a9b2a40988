package io.berth.ecs;

import io.berth.core.error.BerthException;
import io.berth.aws.paging.ListingTokens;

/**
 * Opaque pagination tokens: the last key a page returned, bound to the listing it came from so a
 * token of one listing is refused by another.
 */
public final class Paging {
    private Paging() {
    }

    public static String token(String listing, String lastKey) {
        return ListingTokens.token(listing, lastKey);
    }

    /** The last key of the previous page, or null for the first page. */
    public static String afterKey(String listing, String token) {
        if (ListingTokens.isFirstPage(token)) {
            return null;
        }
        return ListingTokens.afterKey(listing, token).orElseThrow(Paging::invalid);
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
