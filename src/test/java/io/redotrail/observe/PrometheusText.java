package io.redotrail.observe;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples out of a Prometheus text exposition (what /metrics serves), for tests. Stateless. */
public final class PrometheusText {
    private PrometheusText() {
    }

    /** The value of the first sample of {@code metric} whose labels contain every one of {@code labels}, else NaN. */
    public static double sample(String body, String metric, String... labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{([^}]*)} (\\S+)$").matcher(body);
        next:
        while (m.find()) {
            for (String l : labels) if (!m.group(1).contains(l)) continue next;
            return Double.parseDouble(m.group(2));
        }
        return Double.NaN;
    }
}
