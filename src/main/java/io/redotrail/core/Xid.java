package io.redotrail.core;

/**
 * Oracle transaction id: undo segment number, slot and sequence, printed {@code 10.16.1533}.
 */
public record Xid(int usn, int slot, long sqn) {

    /**
     * The XID the simulated database gives a transaction whose first change has SCN {@code firstScn}: sqn is that
     * SCN, so XIDs never repeat across runs (SCNs never do); usn and slot spread like Oracle's undo segments.
     */
    public static Xid forFirstScn(long firstScn) {
        return new Xid(1 + (int) (firstScn % 10), (int) ((firstScn / 10) % 48), firstScn);
    }

    public static Xid parse(String text) {
        String[] p = text.trim().split("\\.");
        if (p.length != 3) {
            throw new IllegalArgumentException("XID must look like usn.slot.sqn, got '" + text + "'");
        }
        try {
            return new Xid(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Long.parseLong(p[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("XID must look like usn.slot.sqn, got '" + text + "'", e);
        }
    }

    // written out: the record's generated equals/hashCode go through method handles, and the extract looks an
    // XID up in its open transactions for every redo record
    @Override
    public boolean equals(Object o) {
        return o instanceof Xid x && x.sqn == sqn && x.usn == usn && x.slot == slot;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * usn + slot) + Long.hashCode(sqn);
    }

    // a StringBuilder, not "+": the Replicat prints an XID per commit, too rarely for the JIT to compile the
    // concatenation's method handles before a bench stage, and it then compiled them during one
    @Override
    public String toString() {
        return new StringBuilder(24).append(usn).append('.').append(slot).append('.').append(sqn).toString();
    }
}
