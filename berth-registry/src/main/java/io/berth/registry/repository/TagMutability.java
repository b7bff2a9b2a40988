package io.berth.registry.repository;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Whether a repository's tags may move to another image. The {@code _WITH_EXCLUSION} settings
 * invert the rule for tags matching one of the repository's exclusion wildcards ({@code *} matches
 * any run of characters).
 */
public enum TagMutability {
    MUTABLE, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION;

    /** Whether {@code tag}, once set, may not be moved to another image. */
    public boolean immutable(String tag, List<String> exclusions) {
        return switch (this) {
            case MUTABLE -> false;
            case IMMUTABLE -> true;
            case IMMUTABLE_WITH_EXCLUSION -> !matchesAny(tag, exclusions);
            case MUTABLE_WITH_EXCLUSION -> matchesAny(tag, exclusions);
        };
    }

    static boolean matchesAny(String tag, List<String> wildcards) {
        for (String w : wildcards) {
            if (wildcard(w).matcher(tag).matches()) {
                return true;
            }
        }
        return false;
    }

    /** A wildcard ({@code *} for any run of characters) as a regular expression. */
    public static Pattern wildcard(String w) {
        StringBuilder re = new StringBuilder();
        for (String part : w.split("\\*", -1)) {
            if (!re.isEmpty()) {
                re.append(".*");
            }
            re.append(Pattern.quote(part));
        }
        return Pattern.compile(re.toString());
    }
}
