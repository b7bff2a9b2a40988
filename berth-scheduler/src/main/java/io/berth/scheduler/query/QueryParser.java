package io.berth.scheduler.query;

import io.berth.core.error.BerthException;
import io.berth.scheduler.query.Condition.And;
import io.berth.scheduler.query.Condition.Not;
import io.berth.scheduler.query.Condition.Or;
import io.berth.scheduler.query.Condition.RegisteredAt;
import io.berth.scheduler.query.Condition.RunningTasksCount;
import io.berth.scheduler.query.Condition.StringComparison;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Recursive descent over the text of a cluster query (grammar in berth-scheduler/README.md).
 * Scanning depends on where the parser is (a subject, an operator, a value), so there is no
 * separate lexer. Every error names the 1-based character where it happened and what was expected
 * there. Not thread-safe; one instance per parse.
 */
final class QueryParser {
    private static final String SUBJECT = "a subject (" + Subject.ALL + ")";
    private static final String AFTER_COMPARISON = "'&&', '||', 'and', 'or' or the end of the expression";
    private static final String DATE = "a date such as 2018-06-18T22:28:28+00:00, 2018-06-18T22:28:28Z, "
            + "2018-06-18T22:28:28 or 2018-06-18";

    private final String text;
    private int pos;

    private QueryParser(String text) {
        this.text = text;
    }

    static Condition parse(String text) {
        if (text == null || text.isBlank()) {
            throw BerthException.invalidParameter("Invalid cluster query: the expression is empty.");
        }
        QueryParser p = new QueryParser(text);
        Condition c = p.or();
        p.skipSpace();
        if (!p.atEnd()) {
            throw p.error(p.pos, AFTER_COMPARISON);
        }
        return c;
    }

    private Condition or() {
        Condition left = and();
        while (true) {
            skipSpace();
            if (symbol("||") || keyword("or")) {
                left = new Or(left, and());
            } else {
                return left;
            }
        }
    }

    private Condition and() {
        Condition left = unary();
        while (true) {
            skipSpace();
            if (symbol("&&") || keyword("and")) {
                left = new And(left, unary());
            } else {
                return left;
            }
        }
    }

    private Condition unary() {
        skipSpace();
        if (symbol("!") || keyword("not")) {
            return new Not(unary());
        }
        if (peek('(')) {
            int open = pos++;
            Condition inner = or();
            skipSpace();
            if (!symbol(")")) {
                throw error(pos, "')' to close the '(' at character " + (open + 1) + " or " + AFTER_COMPARISON);
            }
            return inner;
        }
        return comparison();
    }

    private Condition comparison() {
        int start = pos;
        String word = identifier();
        Subject subject;
        String attribute = null;
        if (word.regionMatches(true, 0, Subject.ATTRIBUTE_PREFIX, 0, Subject.ATTRIBUTE_PREFIX.length())) {
            attribute = word.substring(Subject.ATTRIBUTE_PREFIX.length());
            if (attribute.isEmpty()) {
                throw error(start + Subject.ATTRIBUTE_PREFIX.length(), "an attribute name after 'attribute:'");
            }
            subject = Subject.ATTRIBUTE;
        } else {
            subject = Subject.named(word);
            if (subject == null) {
                pos = start;
                throw error(start, SUBJECT);
            }
        }
        skipSpace();
        int operatorAt = pos;
        Operator operator = operator();
        if (operator == null) {
            throw error(operatorAt, "an operator (" + Operator.ALL + ")");
        }
        if (!subject.operators.contains(operator)) {
            pos = operatorAt;
            throw error(operatorAt, "an operator valid for " + subject.display + " (" + subject.operatorList() + ")");
        }
        skipSpace();
        int argumentAt = pos;
        List<String> arguments;
        if (operator.takesNoArgument()) {
            arguments = List.of();
        } else if (operator.takesList()) {
            arguments = list();
        } else {
            arguments = List.of(value((char) 0));
        }
        if (operator.regex()) {
            try {
                Pattern.compile(arguments.get(0));
            } catch (PatternSyntaxException e) {
                throw error(argumentAt, "a Java regular expression (" + e.getDescription() + " near index "
                        + e.getIndex() + ")");
            }
        }
        return switch (subject) {
            case REGISTERED_AT -> {
                Values.Span span = Values.span(arguments.get(0));
                if (span == null) {
                    throw error(argumentAt, DATE);
                }
                yield new RegisteredAt(operator, arguments.get(0), span);
            }
            case RUNNING_TASKS_COUNT -> {
                if (!arguments.get(0).matches("\\d{1,18}")) {
                    throw error(argumentAt, "a whole number");
                }
                yield new RunningTasksCount(operator, Long.parseLong(arguments.get(0)));
            }
            case AGENT_CONNECTED -> {
                List<String> compared = arguments;
                if (!operator.regex()) {
                    compared = new ArrayList<>();
                    for (String a : arguments) {
                        String b = a.toLowerCase(Locale.ROOT);
                        if (!b.equals("true") && !b.equals("false")) {
                            throw error(argumentAt, "true or false");
                        }
                        compared.add(b);
                    }
                }
                yield new StringComparison(subject, null, operator, arguments,
                        StringComparison.test(operator, compared, Values::compare));
            }
            default -> new StringComparison(subject, attribute, operator, arguments,
                    StringComparison.test(operator, arguments, Values::compare));
        };
    }

    private Operator operator() {
        for (Operator o : Operator.BY_SYMBOL) {
            if (text.startsWith(o.symbol, pos)
                    && (!o.symbolIsWord() || !isIdentifierChar(pos + o.symbol.length()))) {
                pos += o.symbol.length();
                return o;
            }
        }
        int start = pos;
        while (!atEnd() && (Character.isLetter(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        Operator o = pos > start && !isIdentifierChar(pos) ? Operator.ofWord(text.substring(start, pos)) : null;
        if (o == null) {
            pos = start;
        }
        return o;
    }

    /** {@code [a, b, ...]} as ECS documents it, or {@code (a, b, ...)}. */
    private List<String> list() {
        int open = pos;
        char close;
        if (peek('[')) {
            close = ']';
        } else if (peek('(')) {
            close = ')';
        } else {
            throw error(pos, "a list of values such as [a, b]");
        }
        pos++;
        List<String> values = new ArrayList<>();
        while (true) {
            values.add(value(close));
            skipSpace();
            if (symbol(",")) {
                continue;
            }
            if (symbol(String.valueOf(close))) {
                return values;
            }
            throw error(pos, "',' or '" + close + "' to close the list opened at character " + (open + 1));
        }
    }

    /**
     * A value: quoted with ' or " (no escapes; everything up to the same quote), or bare. A bare
     * value ends at whitespace, at a ')' that closes nothing opened inside it, at a quote, and
     * outside a list at '&&' or '||'; inside a list at ',' or the list's closing bracket. The
     * parentheses of a bare value must balance ({@code (t2|m5).*} is one value).
     *
     * @param listClose the closing bracket of the enclosing list, or 0 outside a list
     */
    private String value(char listClose) {
        skipSpace();
        int start = pos;
        if (!atEnd() && (peek('\'') || peek('"'))) {
            char quote = text.charAt(pos);
            int end = text.indexOf(quote, pos + 1);
            if (end < 0) {
                throw error(text.length(), "the closing " + quote + " of the value that starts at character "
                        + (start + 1));
            }
            pos = end + 1;
            return text.substring(start + 1, end);
        }
        int depth = 0;
        while (!atEnd()) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c) || c == '\'' || c == '"') {
                break;
            }
            if (listClose != 0 && depth == 0 && (c == ',' || c == listClose)) {
                break;
            }
            if (listClose == 0 && depth == 0 && (text.startsWith("&&", pos) || text.startsWith("||", pos))) {
                break;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                if (depth == 0) {
                    break;
                }
                depth--;
            }
            pos++;
        }
        if (pos == start) {
            throw error(start, "a value (quote a value that starts with a bracket or holds spaces)");
        }
        if (depth > 0) {
            throw error(start, "a value (quote a value that holds an unbalanced '(')");
        }
        return text.substring(start, pos);
    }

    private String identifier() {
        int start = pos;
        while (isIdentifierChar(pos)) {
            pos++;
        }
        return text.substring(start, pos);
    }

    /** Characters of subjects and attribute names (ECS allows letters, digits, - _ / \ . in names). */
    private boolean isIdentifierChar(int at) {
        if (at >= text.length()) {
            return false;
        }
        char c = text.charAt(at);
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == ':' || c == '/' || c == '\\';
    }

    private boolean symbol(String s) {
        if (text.startsWith(s, pos)) {
            pos += s.length();
            return true;
        }
        return false;
    }

    /** A keyword (and, or, not), any case, not followed by a character that would continue a word. */
    private boolean keyword(String word) {
        if (text.regionMatches(true, pos, word, 0, word.length()) && !isIdentifierChar(pos + word.length())) {
            pos += word.length();
            return true;
        }
        return false;
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private void skipSpace() {
        while (!atEnd() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private BerthException error(int at, String expected) {
        return BerthException.invalidParameter("Invalid cluster query at character " + (at + 1) + ": expected "
                + expected + ", found " + found(at) + ".");
    }

    /** What stands at {@code at}: the word or character there, or the end of the expression. */
    private String found(int at) {
        if (at >= text.length()) {
            return "the end of the expression";
        }
        int end = at;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && end - at < 24) {
            end++;
        }
        if (end == at) {
            end = at + 1;
        }
        return "'" + text.substring(at, end) + "'";
    }
}
