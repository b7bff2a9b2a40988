package io.berth.scheduler.query;

import java.util.Locale;

/**
 * The comparison operators of the cluster query language, each with its symbol and its word form
 * ({@code ==} and {@code equals}, ...), as ECS's "Cluster query language" page lists them.
 */
enum Operator {
    EQUALS("==", "equals"),
    NOT_EQUALS("!=", "not_equals"),
    GREATER_THAN(">", "greater_than"),
    GREATER_THAN_EQUAL(">=", "greater_than_equal"),
    LESS_THAN("<", "less_than"),
    LESS_THAN_EQUAL("<=", "less_than_equal"),
    EXISTS(null, "exists"),
    NOT_EXISTS("!exists", "not_exists"),
    IN(null, "in"),
    NOT_IN("!in", "not_in"),
    MATCHES("=~", "matches"),
    NOT_MATCHES("!~", "not_matches");

    /** Symbols in the order they must be tried: longer ones before their prefixes. */
    static final Operator[] BY_SYMBOL = {NOT_EXISTS, NOT_IN, EQUALS, NOT_EQUALS, GREATER_THAN_EQUAL,
        LESS_THAN_EQUAL, MATCHES, NOT_MATCHES, GREATER_THAN, LESS_THAN};

    /** Every operator, for "expected ..." messages. */
    static final String ALL = "==, !=, >, >=, <, <=, exists, !exists, in, !in, =~, !~";

    final String symbol;
    final String word;

    Operator(String symbol, String word) {
        this.symbol = symbol;
        this.word = word;
    }

    /** How the operator is shown: its symbol, or its word when it has none. */
    String display() {
        return symbol != null ? symbol : word;
    }

    /** The symbol is spelled with letters ({@code !in}, {@code !exists}), so it must end at a word boundary. */
    boolean symbolIsWord() {
        return symbol != null && Character.isLetter(symbol.charAt(symbol.length() - 1));
    }

    boolean takesNoArgument() {
        return this == EXISTS || this == NOT_EXISTS;
    }

    boolean takesList() {
        return this == IN || this == NOT_IN;
    }

    boolean regex() {
        return this == MATCHES || this == NOT_MATCHES;
    }

    static Operator ofWord(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        for (Operator o : values()) {
            if (o.word.equals(w)) {
                return o;
            }
        }
        return null;
    }

    /** Whether {@code comparison} (negative, zero or positive, as from a comparator) satisfies an ordering operator. */
    boolean accepts(int comparison) {
        return switch (this) {
            case EQUALS -> comparison == 0;
            case NOT_EQUALS -> comparison != 0;
            case GREATER_THAN -> comparison > 0;
            case GREATER_THAN_EQUAL -> comparison >= 0;
            case LESS_THAN -> comparison < 0;
            case LESS_THAN_EQUAL -> comparison <= 0;
            default -> throw new IllegalStateException(this + " is not an ordering operator");
        };
    }
}
