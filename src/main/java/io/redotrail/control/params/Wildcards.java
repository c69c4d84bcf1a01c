package io.redotrail.control.params;

import java.util.Locale;

/**
 * GoldenGate group and file wildcards: {@code *} any run of characters, {@code ?} one; case-insensitive. The one
 * implementation: mgr.prm's AUTOSTART / AUTORESTART / PURGEOLDEXTRACTS and GGSCI's {@code START REP?},
 * {@code INFO EXT*}, {@code INFO EXTTRAIL ./dirdat/*}. Stateless.
 */
public final class Wildcards {
    private Wildcards() {
    }

    /** True when {@code name} holds a wildcard, so it names every group (file) it matches rather than one. */
    public static boolean isPattern(String name) {
        return name != null && (name.indexOf('*') >= 0 || name.indexOf('?') >= 0);
    }

    public static boolean matches(String pattern, String name) {
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
