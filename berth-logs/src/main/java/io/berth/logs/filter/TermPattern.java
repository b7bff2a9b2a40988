package io.berth.logs.filter;

import io.berth.logs.filter.FilterPattern.PatternException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Terms in unstructured events: every plain term must appear, at least one {@code ?term} when there
 * are any, and no {@code -term}. A term is a word, a {@code "quoted phrase"} or a {@code %regex%}.
 */
final class TermPattern implements Predicate<String> {
    private final List<Predicate<String>> required;
    private final List<Predicate<String>> optional;
    private final List<Predicate<String>> excluded;

    private TermPattern(List<Predicate<String>> required, List<Predicate<String>> optional,
                        List<Predicate<String>> excluded) {
        this.required = List.copyOf(required);
        this.optional = List.copyOf(optional);
        this.excluded = List.copyOf(excluded);
    }

    static TermPattern parse(String text) {
        List<Predicate<String>> required = new ArrayList<>();
        List<Predicate<String>> optional = new ArrayList<>();
        List<Predicate<String>> excluded = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            List<Predicate<String>> target = required;
            if (c == '?' || c == '-') {
                target = c == '?' ? optional : excluded;
                i++;
                if (i >= n || Character.isWhitespace(text.charAt(i))) {
                    throw new PatternException("'" + c + "' must be followed by a term");
                }
                c = text.charAt(i);
            }
            if (c == '"') {
                StringBuilder phrase = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = text.charAt(i++);
                    if (d == '\\' && i < n) {
                        phrase.append(text.charAt(i++));
                    } else if (d == '"') {
                        closed = true;
                        break;
                    } else {
                        phrase.append(d);
                    }
                }
                if (!closed) {
                    throw new PatternException("unterminated quoted phrase");
                }
                String needle = phrase.toString();
                target.add(m -> m.contains(needle));
            } else if (c == '%') {
                int end = text.indexOf('%', i + 1);
                if (end < 0) {
                    throw new PatternException("unterminated regular expression");
                }
                target.add(regex(text.substring(i + 1, end)));
                i = end + 1;
            } else {
                int start = i;
                while (i < n && !Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                String needle = text.substring(start, i);
                target.add(m -> m.contains(needle));
            }
        }
        return new TermPattern(required, optional, excluded);
    }

    static Predicate<String> regex(String expression) {
        try {
            Pattern p = Pattern.compile(expression);
            return m -> p.matcher(m).find();
        } catch (PatternSyntaxException e) {
            throw new PatternException("invalid regular expression %" + expression + "%");
        }
    }

    @Override
    public boolean test(String message) {
        for (Predicate<String> r : required) {
            if (!r.test(message)) {
                return false;
            }
        }
        for (Predicate<String> x : excluded) {
            if (x.test(message)) {
                return false;
            }
        }
        if (optional.isEmpty()) {
            return true;
        }
        for (Predicate<String> o : optional) {
            if (o.test(message)) {
                return true;
            }
        }
        return false;
    }
}
