package io.redotrail.control.manager;

import java.util.Locale;

/** GoldenGate group and file wildcards: {@code *} any run of characters, {@code ?} one; case-insensitive. Stateless. */
final class Wildcards {
    private Wildcards() {
    }

    static boolean matches(String pattern, String name) {
        return match(pattern.toUpperCase(Locale.ROOT), 0, name.toUpperCase(Locale.ROOT), 0);
    }

    private static boolean match(String p, int i, String s, int j) {
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '*') {
                for (int k = j; k <= s.length(); k++) {
                    if (match(p, i + 1, s, k)) return true;
                }
                return false;
            }
            if (j >= s.length() || (c != '?' && c != s.charAt(j))) return false;
            i++;
            j++;
        }
        return j == s.length();
    }
}
