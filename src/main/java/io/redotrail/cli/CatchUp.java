package io.redotrail.cli;

import io.redotrail.report.GroupRuntimes;
import io.redotrail.extract.ExtractStats;
import io.redotrail.replicat.CheckpointTable;
import io.redotrail.replicat.ReplicatApplier;

import java.io.PrintStream;

/** Waits, with a progress line every second, until the replicat has applied a given CSN. */
final class CatchUp {
    private CatchUp() {
    }

    static boolean await(GroupRuntimes groups, ReplicatApplier rep, long csn, long timeoutMs, ExtractStats ex, PrintStream out)
            throws InterruptedException {
        long start = System.currentTimeMillis();
        long nextPrint = 0;
        while (true) {
            long applied = rep.lastCheckpoint().map(CheckpointTable.Row::logCsn).map(s -> s.value()).orElse(0L);
            long now = System.currentTimeMillis();
            boolean done = applied >= csn;
            if (done || now >= nextPrint) {
                out.printf("  [%5.1fs] extract %,d tx / %,d rows captured | replicat %s %,d tx / %,d rows applied, CSN %d of %d%n",
                        (now - start) / 1000.0, ex.transactionsCommitted.get(), ex.rowsCommitted.get(), rep.getGroup(),
                        rep.getAppliedTransactions(), rep.getAppliedOperations(), applied, csn);
                nextPrint = now + 1000;
            }
            if (done) return true;
            if (!groups.abends().isEmpty()) return false;
            if (now - start > timeoutMs) {
                out.println("  timed out after " + timeoutMs / 1000 + " s waiting for CSN " + csn);
                return false;
            }
            Thread.sleep(50);
        }
    }
}
