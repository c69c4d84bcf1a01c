package io.redotrail.replicat.error;

/**
 * A crash at a chosen step of {@link DiscardFile#commit}, for kill tests only: the system property
 * {@value #PROPERTY} = {@code <step>@<n>} ({@code written}: side file written, not committed; {@code committed}:
 * committed, records not appended; {@code appended}: appended, side file not cleared) halts the JVM
 * ({@link Runtime#halt}, as kill -9: no shutdown hook, no finally) at the n-th group with discard records that
 * reaches that step in this DiscardFile. Unset (always, outside tests), it does nothing. The steps a test reaches
 * are the product's own: the crash window between a commit and the append is microseconds wide, too narrow for a
 * kill from outside to hit reliably.
 */
final class TestHalt {
    static final String PROPERTY = "redotrail.test.discardHalt";
    /** Exit status of a halt here, so a test tells it from other exits. */
    static final int STATUS = 86;

    private final String step;
    private final int nth;
    private int reached;

    TestHalt(String spec) {
        if (spec == null || spec.isBlank()) {
            step = null;
            nth = 0;
            return;
        }
        int at = spec.indexOf('@');
        step = at < 0 ? spec.trim() : spec.substring(0, at).trim();
        nth = at < 0 ? 1 : Integer.parseInt(spec.substring(at + 1).trim());
        if (!step.equals("written") && !step.equals("committed") && !step.equals("appended")) {
            throw new IllegalArgumentException(PROPERTY + " '" + spec + "': step must be written, committed or appended");
        }
    }

    void at(String s) {
        if (step == null || !step.equals(s) || ++reached < nth) return;
        System.err.println("redotrail: halting at discard step '" + s + "' (" + PROPERTY + ", group " + reached + ")");
        System.err.flush();
        Runtime.getRuntime().halt(STATUS);
    }
}
