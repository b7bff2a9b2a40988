package io.berth.registry.ecr;

import io.berth.registry.error.RegistryError;
import io.berth.registry.error.RegistryException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque nextTokens: the last key of a page, bound to the listing it came from. */
final class PageToken {
    private PageToken() {
    }

    static String of(String listing, String lastKey) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((listing + "\u0000" + lastKey).getBytes(StandardCharsets.UTF_8));
    }

    /** The last key of the previous page, or null for the first page. */
    static String after(String listing, String token) {
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

    private static RegistryException invalid() {
        return new RegistryException(RegistryError.INVALID_PARAMETER,
                "Invalid parameter at 'nextToken' failed to satisfy constraint: 'Invalid NextToken'");
    }
}
