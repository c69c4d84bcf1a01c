package io.redotrail.replicat;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Xid;

import java.util.ArrayList;
import java.util.List;

/** Test helper: builds committed transactions the way the trail consumer delivers them. */
final class Tx {
    private final List<RowChange> changes = new ArrayList<>();
    private final long csn;
    private final String xid;
    private long seqno = 1;
    private long rba;

    private Tx(String xid, long csn) {
        this.xid = xid;
        this.csn = csn;
        this.rba = csn * 100;
    }

    static Tx tx(String xid, long csn) {
        return new Tx(xid, csn);
    }

    /** img("ID", 1L, "NAME", "x") */
    static RowImage img(Object... kv) {
        String[] c = new String[kv.length / 2];
        Object[] v = new Object[kv.length / 2];
        for (int i = 0; i < c.length; i++) {
            c[i] = (String) kv[2 * i];
            v[i] = kv[2 * i + 1];
        }
        return new RowImage(c, v);
    }

    Tx at(long seqno, long rba) {
        this.seqno = seqno;
        this.rba = rba;
        return this;
    }

    Tx insert(String table, RowImage after) {
        changes.add(new RowChange(table, ChangeOp.INSERT, null, after));
        return this;
    }

    Tx update(String table, RowImage before, RowImage after) {
        changes.add(new RowChange(table, ChangeOp.UPDATE, before, after));
        return this;
    }

    Tx pkUpdate(String table, RowImage before, RowImage after) {
        changes.add(new RowChange(table, ChangeOp.PK_UPDATE, before, after));
        return this;
    }

    Tx delete(String table, RowImage before) {
        changes.add(new RowChange(table, ChangeOp.DELETE, before, null));
        return this;
    }

    Transaction build() {
        return new Transaction(Xid.parse(xid), Scn.of(csn), 1_700_000_000_000L + csn, 1, changes, null,
                new TrailPosition(seqno, rba), new TrailPosition(seqno, rba + 50));
    }
}
