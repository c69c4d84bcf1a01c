package io.redotrail.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One performance goal of issue 13 and what a bench run measured for it, printed as the line
 * {@code goal: <name> <measured> <target> MET} or {@code ... NOT MET}. A measured value is rounded <em>down</em>
 * to the target's decimals, so a printed value is never at or above a target it did not reach; a goal with
 * nothing to measure yet ({@code measured} null) prints {@code n/a} and is NOT MET. Immutable.
 *
 * @param target as printed (e.g. {@code 1000000}, {@code 0.90}, {@code 2.0}); its decimals are the measured value's
 */
public record Goal(String name, Double measured, String target) {
    public Goal {
        if (name.isBlank() || name.contains(" ")) throw new IllegalArgumentException("goal name must be one word: '" + name + "'");
        new BigDecimal(target); // a number, or fail here
    }

    /** Reached: measured at or above the target. */
    public boolean met() {
        return measured != null && Double.isFinite(measured) && BigDecimal.valueOf(measured).compareTo(new BigDecimal(target)) >= 0;
    }

    /** The measured value as printed: rounded down to the target's decimals, or {@code n/a}. */
    public String measuredText() {
        if (measured == null || !Double.isFinite(measured)) return "n/a";
        return BigDecimal.valueOf(measured).setScale(new BigDecimal(target).scale(), RoundingMode.FLOOR).toPlainString();
    }

    public String line() {
        return "goal: " + name + " " + measuredText() + " " + target + (met() ? " MET" : " NOT MET");
    }
}
