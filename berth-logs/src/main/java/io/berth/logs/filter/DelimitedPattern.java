package io.berth.logs.filter;

import io.berth.logs.filter.FilterPattern.PatternException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Space-delimited events: {@code [ip, user, ..., status = 4*, bytes > 1000]}. The event splits at
 * spaces into fields; text in double quotes or square brackets is one field (without them). Each
 * pattern field is a name (any value), a name with a condition ({@code = != < > <= >=} against a
 * number, a string with * wildcards, or a %regex%), or {@code ...} (any number of fields). Without an
 * ellipsis the event must have exactly as many fields as the pattern.
 */
final class DelimitedPattern implements Predicate<String> {
    private final List<Predicate<String>> fields; // null element: "..."

    private DelimitedPattern(List<Predicate<String>> fields) {
        this.fields = fields;
    }

    static DelimitedPattern parse(String text) {
        String t = text.strip();
        if (!t.endsWith("]")) {
            throw new PatternException("a space-delimited pattern ends with ]");
        }
        List<Predicate<String>> fields = new ArrayList<>();
        for (String part : splitTopLevel(t.substring(1, t.length() - 1))) {
            String f = part.strip();
            if (f.isEmpty()) {
                throw new PatternException("empty field in " + text);
            }
            fields.add(f.equals("...") ? null : field(f));
        }
        return new DelimitedPattern(fields);
    }

    private static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                out.add(b.toString());
                b.setLength(0);
            } else {
                b.append(c);
            }
        }
        out.add(b.toString());
        return out;
    }

    private static Predicate<String> field(String f) {
        int opAt = -1;
        String op = null;
        for (int i = 0; i < f.length(); i++) {
            for (String candidate : new String[] {"!=", "<=", ">=", "=", "<", ">"}) {
                if (f.startsWith(candidate, i)) {
                    opAt = i;
                    op = candidate;
                    break;
                }
            }
            if (op != null) {
                break;
            }
        }
        if (op == null) {
            return v -> true;
        }
        String value = f.substring(opAt + op.length()).strip();
        if (value.isEmpty()) {
            throw new PatternException("missing value in " + f);
        }
        String operator = op;
        if (value.startsWith("%") && value.endsWith("%") && value.length() > 1) {
            Predicate<String> regex = TermPattern.regex(value.substring(1, value.length() - 1));
            return operator.equals("=") ? regex : operator.equals("!=") ? regex.negate() : fail(operator);
        }
        Double number = value.startsWith("\"") ? null : JsonPattern.number(value);
        if (number != null) {
            return v -> {
                Double actual = JsonPattern.number(v);
                if (actual == null) {
                    return false;
                }
                int cmp = Double.compare(actual, number);
                return switch (operator) {
                    case "=" -> cmp == 0;
                    case "!=" -> cmp != 0;
                    case "<" -> cmp < 0;
                    case ">" -> cmp > 0;
                    case "<=" -> cmp <= 0;
                    default -> cmp >= 0;
                };
            };
        }
        String text = value.startsWith("\"") && value.endsWith("\"") && value.length() > 1
                ? value.substring(1, value.length() - 1) : value;
        Pattern glob = JsonPattern.glob(text);
        return switch (operator) {
            case "=" -> v -> glob.matcher(v).matches();
            case "!=" -> v -> !glob.matcher(v).matches();
            default -> fail(operator);
        };
    }

    private static Predicate<String> fail(String op) {
        throw new PatternException("strings take = or !=, not " + op);
    }

    /** The event's fields: split at spaces, "quoted" and [bracketed] text one field each. */
    static List<String> split(String message) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = message.length();
        while (i < n) {
            char c = message.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
                continue;
            }
            if (c == '"' || c == '[') {
                char close = c == '"' ? '"' : ']';
                int end = message.indexOf(close, i + 1);
                if (end > 0) {
                    out.add(message.substring(i + 1, end));
                    i = end + 1;
                    continue;
                }
            }
            int start = i;
            while (i < n && message.charAt(i) != ' ' && message.charAt(i) != '\t') {
                i++;
            }
            out.add(message.substring(start, i));
        }
        return out;
    }

    @Override
    public boolean test(String message) {
        return match(split(message.strip()), 0, 0);
    }

    private boolean match(List<String> values, int v, int p) {
        if (p == fields.size()) {
            return v == values.size();
        }
        Predicate<String> field = fields.get(p);
        if (field == null) {
            for (int skip = v; skip <= values.size(); skip++) {
                if (match(values, skip, p + 1)) {
                    return true;
                }
            }
            return false;
        }
        return v < values.size() && field.test(values.get(v)) && match(values, v + 1, p + 1);
    }
}
