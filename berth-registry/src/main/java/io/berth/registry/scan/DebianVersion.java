package io.berth.registry.scan;

import java.util.Comparator;

/**
 * Version order of dpkg ({@code [epoch:]upstream[-revision]}, with {@code ~} sorting before
 * everything), as {@code dpkg --compare-versions} does. Alpine's apk versions have their own
 * order: {@link ApkVersion}.
 */
public final class DebianVersion {
    public static final Comparator<String> ORDER = DebianVersion::compare;

    private DebianVersion() {
    }

    public static int compare(String a, String b) {
        String[] x = split(a);
        String[] y = split(b);
        int epoch = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
        if (epoch != 0) {
            return epoch;
        }
        int upstream = part(x[1], y[1]);
        return upstream != 0 ? upstream : part(x[2], y[2]);
    }

    private static String[] split(String v) {
        String s = v.trim();
        String epoch = "0";
        int colon = s.indexOf(':');
        if (colon > 0 && s.substring(0, colon).chars().allMatch(Character::isDigit)) {
            epoch = s.substring(0, colon);
            s = s.substring(colon + 1);
        }
        String revision = "";
        int dash = s.lastIndexOf('-');
        if (dash > 0) {
            revision = s.substring(dash + 1);
            s = s.substring(0, dash);
        }
        return new String[] {epoch, s, revision};
    }

    private static int order(char c) {
        if (Character.isLetter(c)) {
            return c;
        }
        if (c == '~') {
            return -1;
        }
        return c + 256;
    }

    private static int part(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            int firstDiff = 0;
            while ((i < a.length() && !Character.isDigit(a.charAt(i))) || (j < b.length() && !Character.isDigit(b.charAt(j)))) {
                int ac = i < a.length() && !Character.isDigit(a.charAt(i)) ? order(a.charAt(i)) : 0;
                int bc = j < b.length() && !Character.isDigit(b.charAt(j)) ? order(b.charAt(j)) : 0;
                if (ac != bc) {
                    return Integer.compare(ac, bc);
                }
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') {
                i++;
            }
            while (j < b.length() && b.charAt(j) == '0') {
                j++;
            }
            while (i < a.length() && Character.isDigit(a.charAt(i)) && j < b.length() && Character.isDigit(b.charAt(j))) {
                if (firstDiff == 0) {
                    firstDiff = Character.compare(a.charAt(i), b.charAt(j));
                }
                i++;
                j++;
            }
            if (i < a.length() && Character.isDigit(a.charAt(i))) {
                return 1;
            }
            if (j < b.length() && Character.isDigit(b.charAt(j))) {
                return -1;
            }
            if (firstDiff != 0) {
                return firstDiff;
            }
        }
        return 0;
    }
}
