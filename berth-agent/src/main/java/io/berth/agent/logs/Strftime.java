package io.berth.agent.logs;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * awslogs-datetime-format (strftime) → a regular expression matching such a timestamp, with the
 * conversions of Docker's awslogs driver: {@code %b %d %H:%M:%S} matches "Jan 02 15:04:05".
 */
final class Strftime {
    private static final Map<Character, String> DIRECTIVES = Map.ofEntries(
            Map.entry('a', "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"),
            Map.entry('A', "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"),
            Map.entry('w', "[0-6]"),
            Map.entry('d', "(?:0[1-9]|[1,2][0-9]|3[0,1])"),
            Map.entry('b', "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"),
            Map.entry('B', "(?:January|February|March|April|May|June|July|August|September|October|November|December)"),
            Map.entry('m', "(?:0[1-9]|1[0-2])"),
            Map.entry('Y', "\\d{4}"),
            Map.entry('y', "\\d{2}"),
            Map.entry('H', "(?:[0,1][0-9]|2[0-3])"),
            Map.entry('I', "(?:0[0-9]|1[0-2])"),
            Map.entry('p', "[A,P]M"),
            Map.entry('M', "[0-5][0-9]"),
            Map.entry('S', "[0-5][0-9]"),
            Map.entry('f', "\\d{6}"),
            Map.entry('z', "[+-]\\d{4}"),
            Map.entry('Z', "[A-Z]{1,4}T"),
            Map.entry('j', "(?:0[0-9][1-9]|[1,2][0-9][0-9]|3[0-5][0-9]|36[0-6])"),
            Map.entry('L', "\\.\\d{3}"));

    private Strftime() {
    }

    static String toRegex(String format) {
        StringBuilder out = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c == '%' && i + 1 < format.length() && DIRECTIVES.containsKey(format.charAt(i + 1))) {
                if (!literal.isEmpty()) {
                    out.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                out.append(DIRECTIVES.get(format.charAt(++i)));
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            out.append(Pattern.quote(literal.toString()));
        }
        return out.toString();
    }
}
