package io.berth.scheduler.query;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** How the cluster query language orders strings and reads dates. */
final class Values {
    private static final Pattern DOTTED_NUMBER = Pattern.compile("\\d+(\\.\\d+)*");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DATE_TIME =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})?");

    private Values() {
    }

    /**
     * Orders two values: dotted numbers ({@code 1.14.5}, {@code 10}) component by component as
     * versions, other numbers numerically, anything else as strings.
     */
    static int compare(String a, String b) {
        if (DOTTED_NUMBER.matcher(a).matches() && DOTTED_NUMBER.matcher(b).matches()) {
            return compareVersions(a, b);
        }
        BigDecimal x = decimal(a);
        BigDecimal y = decimal(b);
        if (x != null && y != null) {
            return x.compareTo(y);
        }
        return a.compareTo(b);
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            BigInteger p = i < x.length ? new BigInteger(x[i]) : BigInteger.ZERO;
            BigInteger q = i < y.length ? new BigInteger(y[i]) : BigInteger.ZERO;
            int c = p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static BigDecimal decimal(String s) {
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * A {@code registeredAt} argument as the span of time it names, {@code [from, to)}: a date
     * names its whole UTC day, a date-time its second (or its instant, with a fraction). A
     * date-time without an offset is UTC. Null if {@code s} is none of ECS's formats
     * (2018-06-18T22:28:28+00:00, 2018-06-18T22:28:28Z, 2018-06-18T22:28:28, 2018-06-18).
     */
    static Span span(String s) {
        try {
            if (DATE.matcher(s).matches()) {
                Instant from = LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
                return new Span(from, from.plus(Duration.ofDays(1)));
            }
            var m = DATE_TIME.matcher(s);
            if (m.matches()) {
                Instant from = m.group(2) == null ? LocalDateTime.parse(s).toInstant(ZoneOffset.UTC)
                        : OffsetDateTime.parse(s).toInstant();
                return new Span(from, from.plus(m.group(1) == null ? Duration.ofSeconds(1) : Duration.ofNanos(1)));
            }
        } catch (DateTimeParseException e) {
            return null;
        }
        return null;
    }

    /** A span of time, {@code from} included, {@code to} excluded. */
    record Span(Instant from, Instant to) {
        /** Where {@code t} lies relative to the span: negative before, 0 inside, positive after. */
        int locate(Instant t) {
            if (t.isBefore(from)) {
                return -1;
            }
            return t.isBefore(to) ? 0 : 1;
        }
    }
}
