package io.redotrail.core;

/**
 * A place in the redo stream of one thread: log sequence number and byte offset (RBA) in that log.
 * Ordered by sequence, then RBA; positions of different threads are not comparable.
 */
public record RedoPosition(int thread, long sequence, long rba) implements Comparable<RedoPosition> {

    public RedoPosition {
        if (thread < 1) throw new IllegalArgumentException("redo thread must be >= 1: " + thread);
        if (sequence < 1) throw new IllegalArgumentException("log sequence must be >= 1: " + sequence);
        if (rba < 0) throw new IllegalArgumentException("RBA must be >= 0: " + rba);
    }

    public RedoPosition withRba(long newRba) {
        return new RedoPosition(thread, sequence, newRba);
    }

    @Override
    public int compareTo(RedoPosition o) {
        if (thread != o.thread) {
            throw new IllegalArgumentException("positions of threads " + thread + " and " + o.thread + " are not comparable");
        }
        int c = Long.compare(sequence, o.sequence);
        return c != 0 ? c : Long.compare(rba, o.rba);
    }

    @Override
    public String toString() {
        return "thread " + thread + " seqno " + sequence + " RBA " + rba;
    }
}
