package io.redotrail.it.replicat;

import io.redotrail.bench.PrewrittenTrail;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Transaction;
import io.redotrail.sim.SourceDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * REPERROR DISCARD records survive kill -9 exactly once, in the serial and the parallel Replicat (PostgreSQL). A
 * planted conflict on the target — a trigger refusing the insert of every YDJK.TRANSFER row whose ID is 3 modulo 7
 * (SQLSTATE 23514) — makes the demo workload discard operations: REPERROR {@code 23514 DISCARD; NOTFOUND DISCARD}.
 * The Replicat runs in a separate JVM; its lives end at each step of a discard commit with Runtime.halt
 * ({@code redotrail.test.discardHalt}: side file written / committed / appended, the product's own code path up to
 * there) and by kill -9 from here at a random moment; each time it is restarted, the last life runs to the end.
 * Then the discard file holds every operation the rules discard exactly once (computed from the trail by a model
 * of the rules, not by the product) and the target equals the source row for row, less the TRANSFER rows the
 * model says the target cannot have.
 * <p>
 * The parallel case adds HANDLECOLLISIONS (an update or delete of a refused row is then ignored, not discarded; a
 * key update from one inserts its after image), rows planted at ACCOUNT keys the trail inserts (overwritten by
 * HANDLECOLLISIONS) and a transient failure on POS_USER9.ORDERS (a trigger failing the first two attempts to
 * insert a tenth of the rows with SQLSTATE 40001) that REPERROR RETRYOP retries.
 */
class DiscardKillIT {
    private static final int HALT = 86; // TestHalt.STATUS
    private static final String TRANSFER = "YDJK.TRANSFER";

    @Test
    void serialReplicatDiscardsExactlyOnceAcrossKills() throws Exception {
        onPostgreSQL("rt_dkill_", (home, url) -> run(home, url, false));
    }

    @Test
    void parallelReplicatWithHandleCollisionsAndRepErrorAcrossKills() throws Exception {
        onPostgreSQL("rt_pdkill_", (home, url) -> run(home, url, true));
    }

    private interface Body {
        void run(Path home, String url) throws Exception;
    }

    private static void onPostgreSQL(String prefix, Body body) throws Exception {
        Path home = Files.createDirectories(ReplicatKillIT.PROJECT.resolve("target/it-discard-kill/" + prefix + System.currentTimeMillis()));
        String db = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String pg = ReplicatKillIT.PG;
        try (Connection c = DriverManager.getConnection(pg + "test", "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        try {
            body.run(home, pg + db);
        } finally {
            try (Connection c = DriverManager.getConnection(pg + "test", "postgres", ""); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }

    private void run(Path home, String url, boolean parallel) throws Exception {
        String user = "postgres";
        System.setProperty("redotrail.workload.lobRatio", "0"); // what is tested does not need the 1 MB values
        PrewrittenTrail.Contents trail;
        try {
            trail = ReplicatKillIT.extend(home, url, user, Integer.getInteger("redotrail.it.discardTransactions", 2_500), 23);
        } finally {
            System.clearProperty("redotrail.workload.lobRatio");
        }
        plant(url, user, trail, parallel);
        Expected expected = expected(trail, parallel);
        assertTrue(expected.discards.size() >= 20, "a workload with discards to lose: " + expected.discards.size());
        Files.createDirectories(home.resolve("dirrpt"));
        Random rnd = new Random(Long.getLong("redotrail.it.seed", System.nanoTime()));
        List<String> history = new ArrayList<>();
        String[] steps = {"committed", "written", "appended", "committed"};
        int life = 0;
        for (String step : steps) {
            life++;
            String halt = step + "@" + (1 + rnd.nextInt(2));
            Path log = home.resolve("dirrpt/replicat-life-" + life + ".log");
            Process p = child(home, url, parallel, log, List.of("-Dredotrail.test.discardHalt=" + halt));
            try {
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "life " + life + " did not reach " + halt + ", see " + log);
            } finally {
                if (p.isAlive()) p.destroyForcibly();
            }
            assertEquals(HALT, p.exitValue(), "life " + life + " halted at " + halt + ", see " + log);
            assertTrue(Files.readString(log).contains("halting at discard step '" + step + "'"), "see " + log);
            history.add("life " + life + " halted at " + halt + ", checkpoint CSN " + ReplicatKillIT.checkpointCsn(home, url, user).orElse(0L));
            if (life % 4 == 3) continue;
            // kill -9 from outside too, at a random moment once it applies
            life++;
            log = home.resolve("dirrpt/replicat-life-" + life + ".log");
            p = child(home, url, parallel, log, List.of());
            ReplicatKillIT.waitUntilReading(p, log);
            long delay = 200 + rnd.nextInt(800);
            boolean exited = p.waitFor(delay, TimeUnit.MILLISECONDS);
            assertFalse(exited, "life " + life + " exited by itself, see " + log);
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            history.add("life " + life + " killed after " + delay + " ms, checkpoint CSN " + ReplicatKillIT.checkpointCsn(home, url, user).orElse(0L));
        }

        Path finalLog = home.resolve("dirrpt/replicat-final.log");
        Process p = child(home, url, parallel, finalLog, List.of());
        try {
            ReplicatKillIT.waitUntilReading(p, finalLog);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (ReplicatKillIT.checkpointCsn(home, url, user).orElse(0L) < trail.lastCsn()) {
                assertTrue(p.isAlive(), "the replicat died, see " + finalLog);
                assertTrue(System.nanoTime() < deadline, "the replicat did not reach the last CSN within 2 minutes, see " + finalLog);
                Thread.sleep(50);
            }
            p.destroy();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "graceful stop");
        } finally {
            if (p.isAlive()) p.destroyForcibly();
        }
        assertFalse(Files.exists(home.resolve("dirrpt/REP1.dsc.pending")), "no side file after a graceful stop");

        Map<String, Integer> actual = records(Files.readString(home.resolve("dirrpt/REP1.dsc")));
        assertEquals(expected.discards, actual, "discarded operations, each exactly once (op table CSN XID ID -> times)\n"
                + String.join("\n", history));
        // the rows the target cannot have leave the source, then the whole source must equal the target
        try (Connection c = DriverManager.getConnection(SourceDatabase.jdbcUrl(home), "sa", "");
             PreparedStatement del = c.prepareStatement("DELETE FROM " + TRANSFER + " WHERE ID = ?")) {
            List<Long> ids = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT ID FROM " + TRANSFER)) {
                while (rs.next()) ids.add(rs.getLong(1));
            }
            int gone = 0;
            for (long id : ids) {
                if (!expected.present.contains(id)) {
                    del.setLong(1, id);
                    gone += del.executeUpdate();
                }
            }
            history.add(gone + " source TRANSFER rows the target cannot have (refused inserts) left out of the comparison");
        }
        ReplicatKillIT.compare(home, url, user, history);
        String lives = readLogs(home);
        assertTrue(lives.contains("committed before the crash"), "a restart completed a committed group's records");
        assertTrue(lives.contains("did not commit before the crash"), "a restart dropped an uncommitted group's records");
        if (parallel) {
            assertTrue(Files.readString(finalLog).contains("parallel Replicat: APPLY_PARALLELISM 4"), "ran in parallel");
            try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_sequences WHERE schemaname = 'pos_user9' "
                         + "AND sequencename LIKE 'flaky_%' AND last_value >= 3")) {
                rs.next();
                assertTrue(rs.getLong(1) > 10, "rows whose insert failed twice, then was retried and applied: " + rs.getLong(1));
            }
        }
    }

    private static Process child(Path home, String url, boolean parallel, Path log, List<String> jvm) throws Exception {
        String rules = "23514 DISCARD; NOTFOUND DISCARD" + (parallel ? "; 40001 RETRYOP MAXRETRIES 5" : "");
        List<String> sets = new ArrayList<>(List.of("redotrail.replicat.repError=" + rules));
        if (parallel) {
            sets.addAll(List.of("redotrail.replicat.parallel=true", "redotrail.replicat.applyParallelism=4",
                    "redotrail.replicat.handleCollisions=true"));
        }
        return ReplicatKillIT.child(home, url, "postgres", 50, true, log, jvm, sets.toArray(String[]::new));
    }

    /** The planted conflicts: the refusing trigger; for the parallel case the planted ACCOUNT rows and the flaky trigger. */
    private static void plant(String url, String user, PrewrittenTrail.Contents trail, boolean parallel) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            s.execute("CREATE FUNCTION ydjk.planted_refusal() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "IF NEW.id % 7 = 3 THEN RAISE EXCEPTION 'planted conflict: TRANSFER % refused', NEW.id USING ERRCODE = '23514'; "
                    + "END IF; RETURN NEW; END $$");
            s.execute("CREATE TRIGGER planted_refusal BEFORE INSERT ON ydjk.transfer FOR EACH ROW EXECUTE FUNCTION ydjk.planted_refusal()");
            if (!parallel) return;
            // per row a sequence (not rolled back with the failed attempt, not shared with other rows' appliers): the
            // first two attempts to insert it fail, whichever applier, life or path (batch or replay) makes them
            Set<Long> flaky = new TreeSet<>();
            for (Transaction tx : trail.transactions()) {
                for (RowChange ch : tx.changes()) {
                    if (ch.table().equals("POS_USER9.ORDERS") && ch.after() != null && orderId(ch.after()) % 10 == 1) flaky.add(orderId(ch.after()));
                }
            }
            assertTrue(flaky.size() > 10, "rows with a transient failure: " + flaky.size());
            for (long id : flaky) s.execute("CREATE SEQUENCE pos_user9.flaky_" + id);
            s.execute("CREATE FUNCTION pos_user9.flaky() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "IF NEW.order_id % 10 = 1 AND nextval(('pos_user9.flaky_' || NEW.order_id)::regclass) <= 2 THEN "
                    + "RAISE EXCEPTION 'planted transient failure on ORDERS %', NEW.order_id USING ERRCODE = '40001'; "
                    + "END IF; RETURN NEW; END $$");
            s.execute("CREATE TRIGGER flaky BEFORE INSERT ON pos_user9.orders FOR EACH ROW EXECUTE FUNCTION pos_user9.flaky()");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ydjk.account (id, owner_name, balance, status, "
                    + "opened_on, updated_at) VALUES (?, 'planted', -1, 'PLANTED', NULL, LOCALTIMESTAMP)")) {
                int n = 0;
                for (Transaction tx : trail.transactions()) {
                    for (RowChange ch : tx.changes()) {
                        if (ch.table().equals("YDJK.ACCOUNT") && ch.op() == ChangeOp.INSERT && id(ch.after()) % 3 == 0) {
                            ps.setLong(1, id(ch.after()));
                            ps.addBatch();
                            n++;
                        }
                    }
                }
                ps.executeBatch();
                assertTrue(n > 10, "planted ACCOUNT rows: " + n);
            }
        }
    }

    /** What the rules make of the trail: discarded operations (key -> times) and the TRANSFER IDs the target holds. */
    record Expected(Map<String, Integer> discards, Set<Long> present) {
    }

    /**
     * The rules applied to TRANSFER in trail order (the parallel Replicat keeps the order per key): an insert of a
     * refused ID is discarded; an update, delete or key update of a row the target lacks is discarded (NOTFOUND), or
     * with HANDLECOLLISIONS ignored — a key update then inserts its after image, which the trigger may refuse too
     * (then REPERROR NOTFOUND DISCARD). A key update of a present row is an UPDATE: the insert trigger does not fire.
     */
    private static Expected expected(PrewrittenTrail.Contents trail, boolean hc) {
        Map<String, Integer> out = new TreeMap<>();
        Set<Long> present = new HashSet<>();
        for (Transaction tx : trail.transactions()) {
            for (RowChange ch : tx.changes()) {
                if (!ch.table().equals(TRANSFER)) continue;
                boolean discard;
                switch (ch.op()) {
                    case INSERT -> {
                        long k = id(ch.after());
                        discard = refused(k);
                        if (!discard) present.add(k);
                    }
                    case UPDATE -> discard = !present.contains(id(ch.before())) && !hc;
                    case DELETE -> discard = !present.remove(id(ch.before())) && !hc;
                    case PK_UPDATE -> {
                        long k = id(ch.before());
                        long k2 = id(ch.after());
                        if (present.remove(k)) {
                            present.add(k2);
                            discard = false;
                        } else if (hc && !refused(k2)) {
                            present.add(k2);
                            discard = false;
                        } else {
                            discard = true;
                        }
                    }
                    default -> throw new IllegalStateException("unexpected operation " + ch.op());
                }
                if (discard) {
                    long id = ch.op() == ChangeOp.INSERT ? id(ch.after()) : id(ch.before());
                    out.merge(ch.op() + " " + ch.table() + " CSN " + tx.csn().value() + " XID " + tx.xid() + " ID " + id, 1, Integer::sum);
                }
            }
        }
        return new Expected(out, present);
    }

    private static long orderId(RowImage img) {
        return ((Number) img.value(img.indexOf("ORDER_ID"))).longValue();
    }

    private static boolean refused(long id) {
        return id % 7 == 3;
    }

    private static long id(RowImage img) {
        return ((Number) img.value(img.indexOf("ID"))).longValue();
    }

    /** The discard file's records (key -> times), checking its one header line and each record's end line. */
    static Map<String, Integer> records(String dsc) {
        assertTrue(dsc.startsWith("Discard file of Replicat group REP1 (redotrail), opened "), dsc.lines().findFirst().orElse(""));
        assertEquals(1, dsc.split("Discard file of Replicat group", -1).length - 1, "one header line");
        assertTrue(dsc.endsWith("*\n"), "the file ends with a whole record");
        Map<String, Integer> out = new TreeMap<>();
        String[] recs = dsc.substring(dsc.indexOf("\n\n") + 2).split("(?m)^\\*\n");
        for (String r : recs) {
            String op = null, table = null, csn = null, xid = null, id = null;
            for (String line : r.split("\n")) {
                if (line.startsWith("Operation type: ")) op = line.substring(16);
                else if (line.startsWith("Problem replicating ")) table = line.substring(20, line.indexOf(" to "));
                else if (line.startsWith("Transaction: XID ")) {
                    xid = line.substring(17, line.indexOf(", CSN "));
                    csn = line.substring(line.indexOf(", CSN ") + 6, line.indexOf(", commit timestamp"));
                } else if (line.startsWith("ID = ") && id == null) id = line.substring(5);
            }
            assertTrue(op != null && table != null && csn != null && id != null, "a whole record: " + r);
            out.merge(op + " " + table + " CSN " + csn + " XID " + xid + " ID " + id, 1, Integer::sum);
        }
        return out;
    }

    private static String readLogs(Path home) throws Exception {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(home.resolve("dirrpt"))) {
            for (Path f : files.sorted().toList()) {
                String n = f.getFileName().toString();
                if (n.startsWith("replicat-") || n.endsWith(".rpt")) all.append(Files.readString(f));
            }
        }
        return all.toString();
    }
}
