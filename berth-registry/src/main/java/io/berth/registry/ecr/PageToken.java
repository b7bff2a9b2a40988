package io.berth.registry.ecr;

import io.berth.registry.error.RegistryError;
import io.berth.registry.error.RegistryException;
import io.berth.aws.paging.ListingTokens;

/** Opaque nextTokens: the last key of a page, bound to the listing it came from. */
final class PageToken {
    private PageToken() {
    }

    static String of(String listing, String lastKey) {
        return ListingTokens.token(listing, lastKey);
    }

    /** The last key of the previous page, or null for the first page. */
    static String after(String listing, String token) {
        if (ListingTokens.isFirstPage(token)) {
            return null;
        }
        return ListingTokens.afterKey(listing, token).orElseThrow(PageToken::invalid);
    }

    private static RegistryException invalid() {
        return new RegistryException(RegistryError.INVALID_PARAMETER,
                "Invalid parameter at 'nextToken' failed to satisfy constraint: 'Invalid NextToken'");
    }
}
