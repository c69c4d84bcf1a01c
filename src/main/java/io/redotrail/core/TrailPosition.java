package io.redotrail.core;

/** A place in a trail: file sequence number and byte offset (RBA) in that file. */
public record TrailPosition(long seqno, long rba) implements Comparable<TrailPosition> {

    public static final TrailPosition START = new TrailPosition(0, 0);

    public TrailPosition {
        if (seqno < 0 || seqno > 999_999_999L) throw new IllegalArgumentException("trail seqno out of range: " + seqno);
        if (rba < 0) throw new IllegalArgumentException("trail RBA must be >= 0: " + rba);
    }

    @Override
    public int compareTo(TrailPosition o) {
        int c = Long.compare(seqno, o.seqno);
        return c != 0 ? c : Long.compare(rba, o.rba);
    }

    @Override
    public String toString() {
        return "seqno " + seqno + " RBA " + rba;
    }
}
