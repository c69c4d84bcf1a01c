package io.redotrail.core;

/**
 * System change number: the global, monotonically increasing clock of the source database.
 * Printed the way GoldenGate prints it, {@code wrap.base (decimal)}, e.g. {@code 0.9137521 (9137521)}.
 */
public record Scn(long value) implements Comparable<Scn> {

    public static final Scn ZERO = new Scn(0);

    public Scn {
        if (value < 0) {
            throw new IllegalArgumentException("SCN must not be negative: " + value);
        }
    }

    public static Scn of(long value) {
        return new Scn(value);
    }

    public int wrap() {
        return (int) (value >>> 32);
    }

    public long base() {
        return value & 0xFFFF_FFFFL;
    }

    public boolean isAfter(Scn other) {
        return value > other.value;
    }

    public Scn next() {
        return new Scn(value + 1);
    }

    /** {@code 0.9137521 (9137521)} */
    public String display() {
        return wrap() + "." + base() + " (" + value + ")";
    }

    @Override
    public int compareTo(Scn o) {
        return Long.compare(value, o.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
