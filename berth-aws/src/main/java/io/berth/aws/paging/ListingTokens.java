package io.berth.aws.paging;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Opaque pagination tokens shared by the services: the last key a page returned, bound to the
 * listing it came from, so that a token of one listing is refused by another. Each service says
 * "invalid" in its own words: {@link #afterKey} answers empty for a token it cannot read.
 */
public final class ListingTokens {
    private ListingTokens() {
    }

    public static String token(String listing, String lastKey) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((listing + "\u0000" + lastKey).getBytes(StandardCharsets.UTF_8));
    }

    /** The last key of the page a (non-empty) token came after; empty when the token is not one of {@code listing}. */
    public static Optional<String> afterKey(String listing, String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int sep = text.indexOf('\u0000');
            if (sep < 0 || !text.substring(0, sep).equals(listing)) {
                return Optional.empty();
            }
            return Optional.of(text.substring(sep + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static boolean isFirstPage(String token) {
        return token == null || token.isEmpty();
    }
}
