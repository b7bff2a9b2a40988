package io.berth.bench.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} / {@code --name=value} / {@code --flag} command-line options. */
final class Args {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    Args(String[] argv, Set<String> flags, Set<String> options, String usage) {
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println(usage);
                System.exit(0);
            }
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a + "\n" + usage);
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (flags.contains(name)) {
                value = "true";
            } else {
                if (i + 1 >= argv.length) {
                    throw new IllegalArgumentException("--" + name + " needs a value\n" + usage);
                }
                value = argv[++i];
            }
            if (!flags.contains(name) && !options.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "\n" + usage);
            }
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
    }

    String get(String name, String defaultValue) {
        List<String> v = values.get(name);
        return v == null ? defaultValue : v.getLast();
    }

    /** Every value given, each split on commas. */
    List<String> list(String name, String defaultValue) {
        List<String> out = new ArrayList<>();
        for (String v : values.getOrDefault(name, List.of(defaultValue))) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(get(name, "false"));
    }

    int integer(String name, int defaultValue) {
        return Integer.parseInt(get(name, Integer.toString(defaultValue)));
    }

    long longValue(String name, long defaultValue) {
        return Long.parseLong(get(name, Long.toString(defaultValue)));
    }

    Duration duration(String name, String defaultValue) {
        return parseDuration(get(name, defaultValue));
    }

    /** {@code 30s}, {@code 500ms}, {@code 2m} or a number of seconds. */
    static Duration parseDuration(String s) {
        String t = s.trim();
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        if (t.endsWith("m")) {
            return Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
        }
        return Duration.ofMillis((long) (Double.parseDouble(t) * 1000));
    }
}
