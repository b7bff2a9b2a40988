package io.berth.registry.scan;

import java.util.Comparator;
import java.util.List;

/**
 * Version order of apk (Alpine), as apk-tools 3 compares versions ({@code apk version -t}). A
 * version is a sequence of tokens, each of a kind that may only follow certain kinds:
 *
 * <pre>
 *   number {.number} [letter] {_suffix[number]} [~hash] [-rN]      1.2.10b_rc2-r3
 * </pre>
 *
 * Equal kinds compare by value, left to right: numbers as numbers (a dotted component with a
 * leading zero, on either side, as text: {@code 1.02 < 1.1}), letters as letters, suffixes as
 * {@code _alpha < _beta < _pre < _rc < } (none) {@code < _cvs < _svn < _git < _hg < _p}. Where the
 * kinds differ, or one version ends, the one that goes on is newer unless it goes on to a
 * pre-release suffix, and a later kind of token is older than an earlier one (so {@code 1.0 < 1.0a <
 * 1.0.1}, {@code 1.0_rc1 < 1.0 < 1.0-r1 < 1.0.1}). A malformed remainder is older than anything.
 * apk-tools 2 differs only for components with leading zeros. Pure.
 */
public final class ApkVersion {
    public static final Comparator<String> ORDER = ApkVersion::compare;

    /** Token kinds in apk-tools' order (it decides when the kinds of two versions differ). */
    private enum Kind { INITIAL_DIGIT, DIGIT, LETTER, SUFFIX, SUFFIX_NO, COMMIT_HASH, REVISION_NO, END, INVALID }

    /** Suffixes in order; "none" sits between the pre-release ones and the rest. */
    private static final List<String> SUFFIXES = List.of("alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg",
            "p");
    private static final int NONE = SUFFIXES.indexOf("");

    private ApkVersion() {
    }

    public static int compare(String a, String b) {
        Lexer x = new Lexer(a.trim());
        Lexer y = new Lexer(b.trim());
        for (x.first(), y.first(); x.kind == y.kind && x.kind.compareTo(Kind.END) < 0; x.next(), y.next()) {
            int c = tokens(x, y);
            if (c != 0) {
                return c;
            }
        }
        if (x.kind == y.kind) {
            return 0;
        }
        if (x.kind == Kind.SUFFIX && x.suffix < NONE) {
            return -1;
        }
        if (y.kind == Kind.SUFFIX && y.suffix < NONE) {
            return 1;
        }
        return x.kind.compareTo(y.kind) > 0 ? -1 : 1;
    }

    /** Two tokens of the same kind. */
    private static int tokens(Lexer x, Lexer y) {
        return switch (x.kind) {
            case DIGIT -> x.value.startsWith("0") || y.value.startsWith("0") ? Integer.signum(x.value.compareTo(y.value))
                    : numbers(x.value, y.value);
            case INITIAL_DIGIT, SUFFIX_NO, REVISION_NO -> numbers(x.value, y.value);
            case SUFFIX -> Integer.compare(x.suffix, y.suffix);
            default -> Integer.signum(x.value.compareTo(y.value));
        };
    }

    /** Decimal numbers of any length. */
    private static int numbers(String a, String b) {
        String x = a.replaceFirst("^0+(?=.)", "");
        String y = b.replaceFirst("^0+(?=.)", "");
        return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : Integer.signum(x.compareTo(y));
    }

    /** apk-tools' token_first / token_next: {@link #kind} and {@link #value} are the current token. */
    private static final class Lexer {
        private final String s;
        private int at;
        Kind kind;
        String value = "";
        int suffix;

        Lexer(String s) {
            this.s = s;
        }

        void first() {
            kind = Kind.INITIAL_DIGIT;
            digits();
        }

        void next() {
            if (at >= s.length()) {
                kind = Kind.END;
                return;
            }
            char c = s.charAt(at);
            if (c >= 'a' && c <= 'z') {
                if (kind.compareTo(Kind.DIGIT) > 0) {
                    kind = Kind.INVALID;
                    return;
                }
                value = String.valueOf(c);
                kind = Kind.LETTER;
                at++;
            } else if (c == '.' || Character.isDigit(c)) {
                if (c == '.') {
                    if (kind.compareTo(Kind.DIGIT) > 0) {
                        kind = Kind.INVALID;
                        return;
                    }
                    at++;
                }
                kind = switch (kind) {
                    case INITIAL_DIGIT, DIGIT -> Kind.DIGIT;
                    case SUFFIX -> Kind.SUFFIX_NO;
                    default -> Kind.INVALID;
                };
                if (kind != Kind.INVALID) {
                    digits();
                }
            } else if (c == '_') {
                if (kind.compareTo(Kind.SUFFIX_NO) > 0) {
                    kind = Kind.INVALID;
                    return;
                }
                value = span(++at, ch -> ch >= 'a' && ch <= 'z');
                suffix = value.isEmpty() ? -1 : SUFFIXES.indexOf(value);
                kind = suffix < 0 ? Kind.INVALID : Kind.SUFFIX;
            } else if (c == '~') {
                if (kind.compareTo(Kind.COMMIT_HASH) >= 0) {
                    kind = Kind.INVALID;
                    return;
                }
                value = span(++at, ch -> Character.isDigit(ch) || ch >= 'a' && ch <= 'f');
                kind = value.isEmpty() ? Kind.INVALID : Kind.COMMIT_HASH;
            } else if (c == '-' && kind.compareTo(Kind.REVISION_NO) < 0 && s.startsWith("-r", at)) {
                at += 2;
                kind = Kind.REVISION_NO;
                digits();
            } else {
                kind = Kind.INVALID;
            }
        }

        private void digits() {
            value = span(at, Character::isDigit);
            if (value.isEmpty()) {
                kind = Kind.INVALID;
            }
        }

        /** The run of characters from {@code from} that {@code take} accepts; moves past it. */
        private String span(int from, java.util.function.IntPredicate take) {
            int end = from;
            while (end < s.length() && take.test(s.charAt(end))) {
                end++;
            }
            at = end;
            return s.substring(from, end);
        }
    }
}
