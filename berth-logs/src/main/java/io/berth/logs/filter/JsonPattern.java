package io.berth.logs.filter;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.logs.LogsJson;
import io.berth.logs.filter.FilterPattern.PatternException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Filter patterns over JSON events: {@code { SELECTOR OP VALUE }} terms combined with {@code &&},
 * {@code ||} and parentheses.
 *
 * <pre>
 *   pattern    := '{' or '}'
 *   or         := and ('||' and)*
 *   and        := unary ('&&' unary)*
 *   unary      := '(' or ')' | comparison
 *   comparison := selector ( op value | 'IS' ('TRUE'|'FALSE'|'NULL') | 'NOT' 'EXISTS' | 'EXISTS' )
 *   selector   := '$' ('.' name | '[' digits ']')*
 *   op         := '=' | '!=' | '<' | '>' | '<=' | '>='
 *   value      := "string" | number | word | %regex%      (strings and words may hold * wildcards)
 * </pre>
 * An event that is not a JSON object or array matches nothing; a selector that finds nothing makes
 * its comparison false (except {@code NOT EXISTS}).
 */
final class JsonPattern implements Predicate<String> {
    private final Predicate<JsonNode> root;

    private JsonPattern(Predicate<JsonNode> root) {
        this.root = root;
    }

    static JsonPattern parse(String text) {
        Parser p = new Parser(tokens(text));
        p.expect("{");
        Predicate<JsonNode> expr = p.or();
        p.expect("}");
        if (!p.atEnd()) {
            throw new PatternException("unexpected '" + p.peek() + "' after the closing brace");
        }
        return new JsonPattern(expr);
    }

    @Override
    public boolean test(String message) {
        String m = message.strip();
        if (!(m.startsWith("{") || m.startsWith("["))) {
            return false;
        }
        JsonNode json;
        try {
            json = LogsJson.MAPPER.readTree(m);
        } catch (IOException e) {
            return false;
        }
        return json != null && root.test(json);
    }

    // ---- tokens --------------------------------------------------------------------------------

    private record Token(String kind, String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    private static List<Token> tokens(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if ("{}()".indexOf(c) >= 0) {
                out.add(new Token(String.valueOf(c), String.valueOf(c)));
                i++;
            } else if (s.startsWith("&&", i) || s.startsWith("||", i)) {
                out.add(new Token(s.substring(i, i + 2), s.substring(i, i + 2)));
                i += 2;
            } else if (s.startsWith("!=", i) || s.startsWith("<=", i) || s.startsWith(">=", i)) {
                out.add(new Token("op", s.substring(i, i + 2)));
                i += 2;
            } else if (c == '=' || c == '<' || c == '>') {
                out.add(new Token("op", String.valueOf(c)));
                i++;
            } else if (c == '"') {
                StringBuilder b = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = s.charAt(i++);
                    if (d == '\\' && i < n) {
                        b.append(s.charAt(i++));
                    } else if (d == '"') {
                        closed = true;
                        break;
                    } else {
                        b.append(d);
                    }
                }
                if (!closed) {
                    throw new PatternException("unterminated string");
                }
                out.add(new Token("string", b.toString()));
            } else if (c == '%') {
                int end = s.indexOf('%', i + 1);
                if (end < 0) {
                    throw new PatternException("unterminated regular expression");
                }
                out.add(new Token("regex", s.substring(i + 1, end)));
                i = end + 1;
            } else if (c == '$') {
                int start = i++;
                while (i < n && (isNameChar(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == '['
                        || s.charAt(i) == ']')) {
                    i++;
                }
                out.add(new Token("selector", s.substring(start, i)));
            } else {
                int start = i;
                while (i < n && !Character.isWhitespace(s.charAt(i)) && "{}()=!<>&|\"".indexOf(s.charAt(i)) < 0) {
                    i++;
                }
                if (start == i) {
                    throw new PatternException("unexpected '" + c + "'");
                }
                out.add(new Token("word", s.substring(start, i)));
            }
        }
        return out;
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '@' || c == '*';
    }

    // ---- parser --------------------------------------------------------------------------------

    private static final class Parser {
        private final List<Token> tokens;
        private int at;

        Parser(List<Token> tokens) {
            this.tokens = tokens;
        }

        boolean atEnd() {
            return at >= tokens.size();
        }

        Token peek() {
            return atEnd() ? new Token("end", "end of pattern") : tokens.get(at);
        }

        Token next() {
            Token t = peek();
            at++;
            return t;
        }

        void expect(String kind) {
            Token t = next();
            if (!t.kind().equals(kind)) {
                throw new PatternException("expected '" + kind + "' but found '" + t + "'");
            }
        }

        boolean accept(String kind) {
            if (!atEnd() && peek().kind().equals(kind)) {
                at++;
                return true;
            }
            return false;
        }

        boolean acceptWord(String word) {
            if (!atEnd() && peek().kind().equals("word") && peek().text().equalsIgnoreCase(word)) {
                at++;
                return true;
            }
            return false;
        }

        Predicate<JsonNode> or() {
            Predicate<JsonNode> left = and();
            while (accept("||")) {
                left = left.or(and());
            }
            return left;
        }

        Predicate<JsonNode> and() {
            Predicate<JsonNode> left = unary();
            while (accept("&&")) {
                left = left.and(unary());
            }
            return left;
        }

        Predicate<JsonNode> unary() {
            if (accept("(")) {
                Predicate<JsonNode> inner = or();
                expect(")");
                return inner;
            }
            Token selector = next();
            if (!selector.kind().equals("selector")) {
                throw new PatternException("expected a selector such as $.field but found '" + selector + "'");
            }
            Path path = Path.parse(selector.text());
            if (acceptWord("IS")) {
                Token what = next();
                String w = what.text().toUpperCase(Locale.ROOT);
                return switch (w) {
                    case "TRUE" -> node -> path.find(node).filter(JsonNode::isBoolean).map(JsonNode::booleanValue)
                            .orElse(false);
                    case "FALSE" -> node -> path.find(node).filter(JsonNode::isBoolean).map(v -> !v.booleanValue())
                            .orElse(false);
                    case "NULL" -> node -> path.find(node).map(JsonNode::isNull).orElse(false);
                    default -> throw new PatternException("IS must be followed by TRUE, FALSE or NULL");
                };
            }
            if (acceptWord("NOT")) {
                if (!acceptWord("EXISTS")) {
                    throw new PatternException("NOT must be followed by EXISTS");
                }
                return node -> path.find(node).isEmpty();
            }
            if (acceptWord("EXISTS")) {
                return node -> path.find(node).isPresent();
            }
            Token op = next();
            if (!op.kind().equals("op")) {
                throw new PatternException("expected an operator after " + selector + " but found '" + op + "'");
            }
            Token value = next();
            return comparison(path, op.text(), value);
        }

        private static Predicate<JsonNode> comparison(Path path, String op, Token value) {
            switch (value.kind()) {
                case "regex" -> {
                    if (!op.equals("=") && !op.equals("!=")) {
                        throw new PatternException("a regular expression takes = or !=");
                    }
                    Predicate<String> regex = TermPattern.regex(value.text());
                    boolean equal = op.equals("=");
                    return node -> path.find(node).filter(v -> v.isValueNode() && !v.isNull())
                            .map(v -> regex.test(v.asText()) == equal).orElse(false);
                }
                case "string", "word" -> {
                    Double number = value.kind().equals("word") ? number(value.text()) : null;
                    if (number != null) {
                        return numeric(path, op, number);
                    }
                    if (!op.equals("=") && !op.equals("!=")) {
                        throw new PatternException("strings take = or !=, not " + op);
                    }
                    Pattern glob = glob(value.text());
                    boolean equal = op.equals("=");
                    return node -> path.find(node).filter(v -> v.isValueNode() && !v.isNull())
                            .map(v -> glob.matcher(v.asText()).matches() == equal).orElse(false);
                }
                default -> throw new PatternException("expected a value after " + op + " but found '" + value + "'");
            }
        }

        private static Predicate<JsonNode> numeric(Path path, String op, double number) {
            return node -> path.find(node).map(v -> {
                Double actual = v.isNumber() ? Double.valueOf(v.doubleValue()) : v.isTextual() ? number(v.asText()) : null;
                if (actual == null) {
                    return false;
                }
                int cmp = Double.compare(actual, number);
                return switch (op) {
                    case "=" -> cmp == 0;
                    case "!=" -> cmp != 0;
                    case "<" -> cmp < 0;
                    case ">" -> cmp > 0;
                    case "<=" -> cmp <= 0;
                    case ">=" -> cmp >= 0;
                    default -> false;
                };
            }).orElse(false);
        }
    }

    static Double number(String text) {
        try {
            return Double.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A value with * wildcards as an anchored regular expression. */
    static Pattern glob(String value) {
        StringBuilder b = new StringBuilder();
        String[] parts = value.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                b.append(".*");
            }
            b.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(b.toString(), Pattern.DOTALL);
    }

    /** {@code $.a.b[0].c}: members and array indexes from the root. */
    private record Path(List<Object> steps) {
        static Path parse(String text) {
            if (!text.startsWith("$")) {
                throw new PatternException("a selector starts with $: " + text);
            }
            List<Object> steps = new ArrayList<>();
            int i = 1;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == '.') {
                    int start = ++i;
                    while (i < text.length() && text.charAt(i) != '.' && text.charAt(i) != '[') {
                        i++;
                    }
                    if (start == i) {
                        throw new PatternException("empty member name in " + text);
                    }
                    steps.add(text.substring(start, i));
                } else if (c == '[') {
                    int end = text.indexOf(']', i);
                    if (end < 0) {
                        throw new PatternException("unclosed [ in " + text);
                    }
                    try {
                        steps.add(Integer.valueOf(text.substring(i + 1, end)));
                    } catch (NumberFormatException e) {
                        throw new PatternException("array index must be a number in " + text);
                    }
                    i = end + 1;
                } else {
                    throw new PatternException("unexpected '" + c + "' in " + text);
                }
            }
            return new Path(List.copyOf(steps));
        }

        Optional<JsonNode> find(JsonNode root) {
            JsonNode at = root;
            for (Object step : steps) {
                if (at == null) {
                    return Optional.empty();
                }
                at = step instanceof Integer index ? (at.isArray() ? at.get(index) : null)
                        : (at.isObject() ? at.get((String) step) : null);
            }
            return Optional.ofNullable(at);
        }
    }
}
