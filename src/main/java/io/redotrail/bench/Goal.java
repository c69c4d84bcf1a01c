package io.redotrail.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One performance goal of issue 13 and what a bench run measured for it, printed as the line
 * {@code goal: <name> <measured> <target> MET} or {@code ... NOT MET}. A goal is reached at or above its target
 * (a rate, a ratio) or, {@code atMost}, at or below it (a lag). The measured value is rounded to the target's
 * decimals <em>away from</em> the goal (down for at-least, up for at-most), so a printed value never reaches a
 * target the measurement did not; a goal with nothing to measure yet ({@code measured} null) prints {@code n/a}
 * and is NOT MET. Immutable.
 *
 * @param target as printed (e.g. {@code 1000000}, {@code 0.90}, {@code 2.0}); its decimals are the measured value's
 */
public record Goal(String name, Double measured, String target, boolean atMost) {
    public Goal {
        if (name.isBlank() || name.contains(" ")) throw new IllegalArgumentException("goal name must be one word: '" + name + "'");
        new BigDecimal(target); // a number, or fail here
    }

    /** A goal reached at or above its target. */
    public Goal(String name, Double measured, String target) {
        this(name, measured, target, false);
    }

    /** A goal reached at or below its target (a lag). */
    public static Goal atMost(String name, Double measured, String target) {
        return new Goal(name, measured, target, true);
    }

    /** Reached: measured at or above the target ({@code atMost}: at or below). */
    public boolean met() {
        if (measured == null || !Double.isFinite(measured)) return false;
        int c = BigDecimal.valueOf(measured).compareTo(new BigDecimal(target));
        return atMost ? c <= 0 : c >= 0;
    }

    /** The measured value as printed: rounded away from the goal to the target's decimals, or {@code n/a}. */
    public String measuredText() {
        if (measured == null || !Double.isFinite(measured)) return "n/a";
        return BigDecimal.valueOf(measured).setScale(new BigDecimal(target).scale(), atMost ? RoundingMode.CEILING : RoundingMode.FLOOR)
                .toPlainString();
    }

    public String line() {
        return "goal: " + name + " " + measuredText() + " " + target + (met() ? " MET" : " NOT MET");
    }
}
