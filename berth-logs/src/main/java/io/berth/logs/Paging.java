package io.berth.logs;

import io.berth.core.error.BerthException;
import io.berth.aws.paging.ListingTokens;

/**
 * Opaque pagination tokens of the Describe operations: the last key a page returned, bound to the
 * listing it came from, so that a token of one listing is refused by another.
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

    /** The {@code limit} of a Describe operation: 1 to 50 (the model checks), 50 when absent. */
    public static int limit(Integer limit, int fallback) {
        return limit == null ? fallback : limit;
    }

    public static BerthException invalid() {
        return BerthException.invalidParameter("The specified nextToken is invalid.");
    }
}
