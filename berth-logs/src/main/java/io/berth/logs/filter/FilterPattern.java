package io.berth.logs.filter;

import io.berth.core.error.BerthException;
import java.util.function.Predicate;

/**
 * A CloudWatch Logs filter pattern (FilterLogEvents' {@code filterPattern}), compiled into a test of
 * an event's message. Three forms, as AWS has them:
 *
 * <ul>
 *   <li>Terms ({@link TermPattern}): {@code ERROR}, {@code "quoted phrase"}, {@code ?ERROR ?WARN} (any
 *       of), {@code -DEBUG} (none of), {@code %regex%}; plain terms must all appear. Case-sensitive.</li>
 *   <li>JSON ({@link JsonPattern}): {@code { $.level = "error" && ($.latency > 100 || $.retry IS TRUE) }}
 *       with {@code = != < > <= >=}, {@code IS TRUE|FALSE|NULL}, {@code NOT EXISTS}, {@code *}
 *       wildcards and {@code %regex%} in string values.</li>
 *   <li>Space-delimited ({@link DelimitedPattern}): {@code [ip, user, ..., status = 4*, bytes > 1000]}.</li>
 * </ul>
 * An empty pattern matches every event. Compiled patterns are immutable and thread-safe.
 */
public final class FilterPattern {
    private FilterPattern() {
    }

    public static Predicate<String> compile(String pattern) {
        String p = pattern == null ? "" : pattern.strip();
        if (p.isEmpty()) {
            return message -> true;
        }
        try {
            if (p.startsWith("{")) {
                return JsonPattern.parse(p);
            }
            if (p.startsWith("[")) {
                return DelimitedPattern.parse(p);
            }
            return TermPattern.parse(p);
        } catch (PatternException e) {
            throw BerthException.invalidParameter("Invalid filter pattern: " + e.getMessage());
        }
    }

    /** A pattern that does not parse. */
    static final class PatternException extends RuntimeException {
        PatternException(String message) {
            super(message, null, false, false);
        }
    }
}
