package io.redotrail.pump;

import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.Xid;
import io.redotrail.report.GroupRuntimes;
import io.redotrail.report.ReportFile;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pump's TABLE filter keeps the selected tables and says once per table what it does not pass on. */
class TableFilterTest {
    @TempDir
    Path home;
    final CamelContext ctx = new DefaultCamelContext();

    static Transaction tx(String xid, long csn, String... tables) {
        List<RowChange> changes = new java.util.ArrayList<>();
        for (String t : tables) {
            changes.add(new RowChange(t, ChangeOp.INSERT, null, new RowImage(new String[]{"ID"}, new Object[]{csn})));
        }
        return new Transaction(Xid.parse(xid), Scn.of(csn), 1_700_000_000_000L, 1, changes, null);
    }

    @SuppressWarnings("unchecked")
    List<Transaction> filter(TableFilter f, Transaction... txs) throws Exception {
        Exchange e = new DefaultExchange(ctx);
        e.getIn().setBody(List.of(txs));
        f.process(e);
        return e.getMessage().getBody(List.class);
    }

    @Test
    void aTableNoTableStatementSelectsIsSaidOnceInTheReport() throws Exception {
        GroupRuntimes.of(ctx, home, "PUMP1"); // the pump's trail consumer made it
        TableFilter f = new TableFilter();
        f.setGroup("pump1");
        f.setTables("TABLE POS.ORDRES; TABLE HR.*");
        List<Transaction> out = filter(f, tx("1.1.1", 100, "POS.ORDERS", "HR.EMP"), tx("1.1.2", 101, "POS.ORDERS"));
        out = new java.util.ArrayList<>(out);
        out.addAll(filter(f, tx("1.1.3", 102, "POS.ORDERS", "POS.LINES"), tx("1.1.4", 103, "HR.DEPT")));
        assertEquals(List.of("1.1.1:HR.EMP", "1.1.4:HR.DEPT"), out.stream()
                .map(t -> t.xid() + ":" + String.join(",", t.changes().stream().map(RowChange::table).toList())).toList());
        assertEquals(2, f.keptOps());
        assertEquals(4, f.droppedOps());
        List<String> said = ReportFile.open(home, "PUMP1").lines().stream().filter(l -> l.contains("RTR-01007")).toList();
        assertEquals(2, said.size(), said.toString());
        assertTrue(said.get(0).endsWith("RTR-01007  PUMP1: trail table POS.ORDERS matches no TABLE statement (POS.ORDRES; HR.*):"
                + " its changes are not passed on (the first in transaction XID 1.1.1 CSN 100); said once per table."), said.get(0));
        assertTrue(said.get(1).contains("trail table POS.LINES matches no TABLE statement") && said.get(1).contains("XID 1.1.3 CSN 102"), said.get(1));
    }
}
