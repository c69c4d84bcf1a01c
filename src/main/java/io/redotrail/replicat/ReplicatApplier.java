package io.redotrail.replicat;

import io.redotrail.core.Jdbc;
import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.core.Abends;
import io.redotrail.core.ChangeOp;
import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Xid;
import io.redotrail.replicat.error.DiscardFile;
import io.redotrail.replicat.error.RepError;
import io.redotrail.replicat.mapping.MapStatement;
import io.redotrail.replicat.mapping.Mapper;
import io.redotrail.trail.ReadPositionStore;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Replicat: applies whole committed source transactions ({@code List<Transaction>} bodies from the trail
 * consumer, in commit-SCN order) to the target database, and records its position in the checkpoint table
 * ({@link CheckpointTable}) in the same database transaction — one commit per exchange, a source transaction
 * is never split. The checkpoint table is authoritative; {@code dirchk/<GROUP>.cpr} is written after each
 * commit for INFO REPLICAT and as a fallback start position.
 * <p>
 * Restart: transactions already recorded in the checkpoint table (CSN below LOG_CMPLT_CSN, or equal and
 * listed in LOG_CMPLT_XIDS) are skipped and counted, so a trail re-read never applies anything twice.
 * <p>
 * Errors (REPERROR ABEND): the exchange is rolled back, the error is reported to {@link Abends} and thrown,
 * and every later exchange is refused until the applier is stopped and started again — applying a later
 * exchange after a failed one would lose the failed one's changes.
 * <p>
 * Mapping ({@code map}, GoldenGate MAP statements, see {@link io.redotrail.replicat.mapping.MapParser}) is
 * validated against the target's metadata when the applier starts. GROUPTRANSOPS ({@code groupTransOps}):
 * whole source transactions of one exchange are grouped into target transactions of at least that many
 * operations (the last group of an exchange commits early, so an idle trail never holds work back). BATCHSQL
 * ({@code batchSql}): changes of the same table, operation and column set share a JDBC batch. Any error in a
 * group rolls it back and replays it one operation at a time under savepoints, where REPERROR ({@code repError})
 * and HANDLECOLLISIONS ({@code handleCollisions}) decide; discarded operations go to {@code dirrpt/<GROUP>.dsc}.
 * <p>
 * Bean for YAML ({@code type: io.redotrail.replicat.ReplicatApplier}, properties group, home, jdbcUrl, user,
 * password, checkpointTable, trail, batchSize, fileCheckpointMillis, map, repError, handleCollisions,
 * groupTransOps, batchSql, onOlderTable, discardFile, retryDelayMillis). Connects lazily on first use, or in {@link #start()}.
 * Owns exactly one JDBC connection (autoCommit off). Thread-safe by serialisation: all public methods are
 * synchronized; a Replicat is one serial apply stream.
 */
public class ReplicatApplier implements Processor, Service, ReadPositionStore {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatApplier.class);

    private String group;
    private String home = ".";
    private String jdbcUrl;
    private String user;
    private String password;
    private String checkpointTable = CheckpointTable.DEFAULT_NAME;
    private String trail = "";
    private String trailPath;
    private int batchSize = 1000;
    private long fileCheckpointMillis = 1000;
    private long lastFileWrite;
    private String map = "";
    private String repErrorSpec = "DEFAULT ABEND";
    private boolean handleCollisions;
    private int groupTransOps = 1000;
    private boolean batchSql = true;
    private OnOlderTable onOlderTable = OnOlderTable.WARN_USE_TABLE;
    private String discardFile;
    private long retryDelayMillis = 100;

    /** What to do when the checkpoint table is behind the checkpoint file (OGG-30176, target restored from a backup). */
    public enum OnOlderTable {
        /** warn, and start from the table position: transactions after it are applied again (default) */
        WARN_USE_TABLE,
        /** refuse to start */
        ABEND,
        /** warn, and start from the file position: what lies between the two positions is not applied again */
        USE_FILE
    }

    private Mapper mapper;
    private RepError repError;
    private TargetTables targetTables;
    private DiscardFile discard;
    private final Map<String, Target> targets = new HashMap<>();
    private TrailPosition startOverride;
    private String startupWarning;
    private final Counters counters = new Counters();

    /** Operations handled by REPERROR and HANDLECOLLISIONS (reported at stop, and by {@link #getCounters()}). */
    public static final class Counters {
        public long discarded, ignored, retriedOps, transAborts, replays;
        public long collisionInsertsOverwritten, collisionUpdatesIgnored, collisionDeletesIgnored, collisionPkUpdatesInserted;

        void add(Counters c) {
            discarded += c.discarded;
            ignored += c.ignored;
            collisionInsertsOverwritten += c.collisionInsertsOverwritten;
            collisionUpdatesIgnored += c.collisionUpdatesIgnored;
            collisionDeletesIgnored += c.collisionDeletesIgnored;
            collisionPkUpdatesInserted += c.collisionPkUpdatesInserted;
        }

        public long collisions() {
            return collisionInsertsOverwritten + collisionUpdatesIgnored + collisionDeletesIgnored + collisionPkUpdatesInserted;
        }

        @Override
        public String toString() {
            return "discarded " + discarded + ", ignored " + ignored + ", retried operations " + retriedOps
                    + ", transaction aborts " + transAborts + ", groups replayed one operation at a time " + replays
                    + "; HANDLECOLLISIONS: duplicate inserts overwritten " + collisionInsertsOverwritten
                    + ", missing-row updates ignored " + collisionUpdatesIgnored + ", missing-row deletes ignored "
                    + collisionDeletesIgnored + ", missing-row PK updates inserted " + collisionPkUpdatesInserted;
        }
    }

    /** A source table's resolved target: mapping, target metadata, KEYCOLS. */
    private record Target(Mapper.Resolved resolved, TargetTables.Table table) {
        RowChange map(Mapper m, Transaction tx, RowChange ch) {
            return m.map(tx, ch, resolved, c -> table.column(c) != null);
        }

        List<String> keyCols() {
            return resolved.keyCols();
        }
    }

    /** REPERROR TRANSABORT: roll the group back and replay it. */
    private static final class TransAbort extends RuntimeException {
        final Transaction tx;
        final RepError.Rule rule;
        final ApplyError error;

        TransAbort(Transaction tx, RepError.Rule rule, ApplyError error) {
            super(error.getMessage(), null, false, false);
            this.tx = tx;
            this.rule = rule;
            this.error = error;
        }
    }

    private Connection conn;
    private CheckpointTable table;
    private ChangeApplier applier;
    private CheckpointTable.Row lastCheckpoint;
    private TrailPosition startup;
    private long startupTimestamp;
    private long startTime;
    private ReplicatException abended;
    private long skippedTransactions;
    private long appliedTransactions;
    private long appliedOperations;

    public ReplicatApplier() {
    }

    // ---- lifecycle -------------------------------------------------------------------------------------

    @Override
    public synchronized void start() {
        abended = null;
        ensureOpen();
    }

    /** Writes the .cpr with stop status G (graceful) and closes the connection. */
    @Override
    public synchronized void stop() {
        if (conn != null && lastCheckpoint != null && abended == null) writeFileCheckpoint('G');
        if (conn != null) LOG.info("{}: stopping; applied {} transactions / {} operations, skipped {}; {}", group,
                appliedTransactions, appliedOperations, skippedTransactions, counters);
        lastFileWrite = 0;
        closeConnection();
    }

    private void ensureOpen() {
        if (conn != null) return;
        if (group == null || group.isBlank()) throw new IllegalStateException("ReplicatApplier: property 'group' is required");
        if (jdbcUrl == null || jdbcUrl.isBlank()) throw new IllegalStateException(group + ": property 'jdbcUrl' is required");
        mapper = Mapper.parse(map);      // syntax errors name the statement and position
        repError = RepError.parse(repErrorSpec);
        if (groupTransOps < 1) throw new IllegalArgumentException(group + ": groupTransOps must be >= 1, got " + groupTransOps);
        try {
            conn = Jdbc.connect(jdbcUrl, user, password);
            conn.setAutoCommit(false);
            table = new CheckpointTable(checkpointTable, homePath().toAbsolutePath().normalize().toString());
            table.create(conn); // ADD CHECKPOINTTABLE when absent
            lastCheckpoint = table.read(conn, group).orElse(null);
            conn.commit();
            applier = new ChangeApplier(group, conn, batchSize);
            targetTables = new TargetTables();
            targets.clear();
            validateMappings();
            conn.commit();
        } catch (SQLException e) {
            closeConnection();
            throw new ReplicatException(group + ": cannot open target database " + safeUrl() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeConnection();
            throw e;
        }
        discard = new DiscardFile(discardFile == null || discardFile.isBlank()
                ? homePath().resolve("dirrpt").resolve(group + ".dsc") : Path.of(discardFile), group);
        Optional<TrailPosition> file = filePosition();
        startOverride = null;
        startupWarning = null;
        TrailPosition tablePos = lastCheckpoint != null ? lastCheckpoint.position() : null;
        if (file.isPresent() && (tablePos == null || file.get().compareTo(tablePos) > 0)) {
            // the table is authoritative; a table with no row for the group while the file has a position is
            // the extreme case of an older table (e.g. a target restored, or a database that lost its last commits)
            String tableSays = tablePos == null ? "has no row for the group (nothing applied)"
                    : "position (" + tablePos + ", CSN " + lastCheckpoint.logCsn().value() + ")";
            String msg = "OGG-30176 " + group + ": checkpoint table " + table.name() + " " + tableSays
                    + " is older than checkpoint file " + fileCheckpoint().path() + " position (" + file.get()
                    + "); was the target database restored from a backup?";
            switch (onOlderTable) {
                case WARN_USE_TABLE -> {
                    startupWarning = msg + " Using the checkpoint table position (onOlderTable=WARN_USE_TABLE): "
                            + "transactions after it are applied again.";
                    if (tablePos == null) startOverride = trailBeginning();
                }
                case USE_FILE -> {
                    startupWarning = msg + " Using the checkpoint file position (onOlderTable=USE_FILE): transactions between "
                            + "the two positions are NOT applied again.";
                    startOverride = file.get();
                }
                case ABEND -> {
                    closeConnection();
                    ReplicatException e = new ReplicatException(msg + " Not starting (onOlderTable=ABEND); choose "
                            + "onOlderTable=WARN_USE_TABLE to re-apply from the table position or USE_FILE to continue from the file position.");
                    Abends.report(group, e);
                    throw e;
                }
            }
            LOG.warn(startupWarning);
        }
        startup = startOverride != null ? startOverride : lastCheckpoint != null ? lastCheckpoint.position() : file.orElse(null);
        startTime = System.currentTimeMillis();
        startupTimestamp = 0;
        LOG.info("{}: connected to {}, checkpoint table {}, start position {}, {} MAP statement(s), REPERROR {}, "
                        + "HANDLECOLLISIONS {}, GROUPTRANSOPS {}, BATCHSQL {}", group, safeUrl(), table.name(),
                startup == null ? "none" : startup, mapper.statements().size(), repError, handleCollisions, groupTransOps, batchSql);
    }

    /** First position of the trail ({@code trailPath}'s lowest existing seqno, RBA 0), or seqno 0 RBA 0. */
    private TrailPosition trailBeginning() {
        if (trailPath == null || trailPath.isBlank()) return TrailPosition.START;
        long[] seqnos = io.redotrail.trail.TrailFormat.seqnos(Path.of(trailPath));
        return new TrailPosition(seqnos.length == 0 ? 0 : seqnos[0], 0);
    }

    private String safeUrl() {
        return jdbcUrl.replaceAll("[?;].*", "");
    }

    /**
     * Checks every MAP statement against the target's metadata: a named target table must exist with every
     * COLMAP and KEYCOLS column; a wildcard target schema must hold at least one table. All problems are
     * reported at once.
     */
    private void validateMappings() throws SQLException {
        List<String> problems = new ArrayList<>();
        for (MapStatement s : mapper.statements()) {
            if (!s.sourceIsWildcard() || !s.targetIsWildcard()) {
                String target = s.sourceIsWildcard() ? s.targetFor(null, s.targetTable()) : s.targetFor(s.sourceOwner(), s.sourceTable());
                TargetTables.Table t = targetTables.lookup(conn, target);
                if (t == null) {
                    problems.add(s.describe() + ": target table " + target + " does not exist");
                    continue;
                }
                for (String c : Mapper.namedTargetColumns(s)) {
                    if (t.column(c) == null) problems.add(s.describe() + ": target table " + target + " has no column " + c);
                }
            } else if (s.targetOwner() != null && !"*".equals(s.targetOwner()) && !schemaHasTables(s.targetOwner())) {
                problems.add(s.describe() + ": target schema " + s.targetOwner() + " has no tables");
            }
        }
        if (!problems.isEmpty()) {
            throw new ReplicatException(group + ": mapping does not match target database " + safeUrl() + ": "
                    + String.join("; ", problems));
        }
    }

    private boolean schemaHasTables(String owner) throws SQLException {
        var md = conn.getMetaData();
        for (String o : List.of(owner, owner.toUpperCase(Locale.ROOT), owner.toLowerCase(Locale.ROOT))) {
            try (ResultSet rs = md.getTables(null, o, "%", new String[]{"TABLE", "BASE TABLE"})) {
                if (rs.next()) return true;
            }
        }
        return false;
    }

    private void closeConnection() {
        if (applier != null) applier.close();
        applier = null;
        targets.clear();
        if (conn != null) {
            try {
                conn.rollback();
                conn.close();
            } catch (SQLException e) {
                LOG.warn("{}: closing connection: {}", group, e.getMessage());
            }
        }
        conn = null;
    }

    // ---- ReadPositionStore -----------------------------------------------------------------------------

    /** Checkpoint table position (connects if needed), else the .cpr file's current position, else empty. */
    @Override
    public synchronized Optional<TrailPosition> startPosition() {
        ensureOpen();
        if (startOverride != null) return Optional.of(startOverride);
        if (lastCheckpoint != null) return Optional.of(lastCheckpoint.position());
        return filePosition();
    }

    // ---- apply -----------------------------------------------------------------------------------------

    @Override
    public synchronized void process(Exchange exchange) {
        if (abended != null) {
            throw new ReplicatException(group + " is abended and refuses further work until restarted; cause: "
                    + abended.getMessage(), abended);
        }
        Object body = exchange.getIn().getBody();
        if (body == null || (body instanceof List<?> l && l.isEmpty())) return; // e.g. a READ_CHECKPOINT-only exchange
        if (!(body instanceof List<?> list)) {
            throw new IllegalArgumentException(group + ": expected a List<Transaction> body, got " + body.getClass().getName());
        }
        ensureOpen();
        List<Transaction> todo = new ArrayList<>(list.size());
        for (Object o : list) {
            Transaction tx = (Transaction) o;
            if (lastCheckpoint != null && lastCheckpoint.applied(tx.csn(), tx.xid())) {
                skippedTransactions++;
                LOG.debug("{}: skipping already applied transaction XID {} CSN {}", group, tx.xid(), tx.csn());
            } else {
                todo.add(tx);
            }
        }
        if (todo.isEmpty()) return;
        for (Transaction tx : todo) {
            if (tx.trailEnd() == null) {
                throw new IllegalArgumentException(group + ": transaction XID " + tx.xid() + " has no trail end position");
            }
        }
        // GROUPTRANSOPS: whole source transactions, at least groupTransOps operations per target transaction;
        // the exchange's last group commits early (the trail sends what it has, or an empty exchange when idle)
        int i = 0;
        while (i < todo.size()) {
            int j = i;
            long ops = 0;
            do {
                ops += todo.get(j++).size();
            } while (j < todo.size() && ops < groupTransOps);
            applyGroup(todo.subList(i, j));
            i = j;
        }
    }

    /** Applies one group in one target transaction with its checkpoint; abends on an ABEND response. */
    private void applyGroup(List<Transaction> txs) {
        try {
            try {
                applyFast(txs);
                commitGroup(txs, null, null);
                return;
            } catch (ApplyError | SQLException e) {
                // a batch (or statement) failed: roll back the group and replay it one operation at a time
                rollbackQuietly();
                applier.reset();
                counters.replays++;
                LOG.debug("{}: replaying {} transaction(s) one operation at a time after: {}", group, txs.size(), e.getMessage());
            }
            applyCarefully(txs);
        } catch (RuntimeException | SQLException e) {
            rollbackQuietly();
            applier.reset();
            Transaction last = txs.get(txs.size() - 1);
            ReplicatException re = e instanceof ReplicatException r ? r
                    : new ReplicatException(group + ": applying " + txs.size() + " transaction(s) up to CSN "
                    + last.csn() + " failed: " + e.getMessage() + ChangeApplier.where(txs.get(0)), e);
            abended = re;
            LOG.error("{}: PROCESS ABENDING: {}", group, re.getMessage());
            Abends.report(group, re);
            throw re;
        }
    }

    private void applyFast(List<Transaction> txs) throws SQLException {
        for (Transaction tx : txs) {
            for (RowChange ch : tx.changes()) {
                Target tg = target(tx, ch);
                RowChange m = tg.map(mapper, tx, ch);
                if (batchSql) {
                    applier.apply(tx, m, tg.table(), tg.keyCols());
                } else if (applier.executeOne(tx, m, tg.table(), tg.keyCols()) == 0 && m.op() != ChangeOp.INSERT) {
                    throw notFound(tx, m, tg);
                }
            }
        }
        applier.flush();
    }

    private ApplyError notFound(Transaction tx, RowChange m, Target tg) {
        return new ApplyError("NOTFOUND", group + ": " + applier.describe(tx, m, tg.table(), tg.keyCols()) + " found no row"
                + ChangeApplier.where(tx), null, applier.lastSql());
    }

    /** The target of a source table (cached): UNMAPPED when no MAP statement covers it, NOTABLE when it is missing. */
    private Target target(Transaction tx, RowChange ch) throws SQLException {
        Target tg = targets.get(ch.table());
        if (tg != null) return tg;
        Mapper.Resolved r = mapper.resolve(ch.table());
        if (r == null) {
            throw new ApplyError("UNMAPPED", group + ": source table " + ch.table() + " is not mapped by any MAP statement"
                    + ChangeApplier.where(tx), null, null);
        }
        TargetTables.Table t = targetTables.lookup(conn, r.target());
        if (t == null) {
            throw new ApplyError("NOTABLE", group + ": target table " + r.target() + " does not exist"
                    + (r.identity() ? "" : " (mapped from " + ch.table() + " by " + r.statement().describe() + ")")
                    + ChangeApplier.where(tx), null, null);
        }
        for (String k : r.keyCols()) {
            if (t.column(k) == null) {
                throw new ApplyError("MAPPING", group + ": KEYCOLS column " + k + " is not in target table " + r.target()
                        + ChangeApplier.where(tx), null, null);
            }
        }
        tg = new Target(r, t);
        targets.put(ch.table(), tg);
        return tg;
    }

    /** Replays a group one operation at a time, each under a savepoint, where REPERROR and HANDLECOLLISIONS decide. */
    private void applyCarefully(List<Transaction> txs) throws SQLException {
        Map<Transaction, Integer> aborts = new IdentityHashMap<>();
        while (true) {
            StringBuilder discards = new StringBuilder();
            Counters c = new Counters();
            try {
                for (Transaction tx : txs) {
                    for (RowChange ch : tx.changes()) applyOne(tx, ch, discards, c);
                }
                commitGroup(txs, discards, c);
                return;
            } catch (TransAbort ta) {
                rollbackQuietly();
                applier.reset();
                int n = aborts.merge(ta.tx, 1, Integer::sum);
                if (n > ta.rule.maxRetries()) {
                    throw new ReplicatException(ta.error.getMessage() + " (REPERROR TRANSABORT: gave up after "
                            + ta.rule.maxRetries() + " retries)", ta.error);
                }
                counters.transAborts++;
                LOG.warn("{}: REPERROR TRANSABORT ({}/{}): {}", group, n, ta.rule.maxRetries(), ta.error.getMessage());
                sleep();
            }
        }
    }

    private void applyOne(Transaction tx, RowChange ch, StringBuilder discards, Counters c) throws SQLException {
        int attempt = 0;
        while (true) {
            ApplyError err;
            Target tg = null;
            RowChange m = null;
            Savepoint sp = null;
            try {
                tg = target(tx, ch);
                m = tg.map(mapper, tx, ch);
                sp = conn.setSavepoint();
                if (applier.executeOne(tx, m, tg.table(), tg.keyCols()) == 0 && m.op() != ChangeOp.INSERT) {
                    throw notFound(tx, m, tg);
                }
                return;
            } catch (ApplyError e) {
                err = e;
            } catch (SQLException e) {
                err = new ApplyError(RepError.kindOf(e), group + ": " + applier.describe(tx, m, tg.table(), tg.keyCols())
                        + " failed: " + e.getMessage() + ChangeApplier.where(tx), e, applier.lastSql());
            }
            if (sp != null) conn.rollback(sp);
            if (handleCollisions && m != null && collision(tx, m, tg, err, c)) return;
            RepError.Rule rule = repError.ruleFor(err.kind, err.sqlError);
            switch (rule.response()) {
                case IGNORE -> {
                    c.ignored++;
                    LOG.debug("{}: REPERROR IGNORE: {}", group, err.getMessage());
                    return;
                }
                case DISCARD -> {
                    c.discarded++;
                    String what = (err.kind == null ? "" : err.kind + ": ") + err.getMessage();
                    discards.append(discard.format("DISCARD", what, err.sql, tx, ch, m == null ? "(unmapped)" : m.table()));
                    LOG.warn("{}: REPERROR DISCARD to {}: {}", group, discard.path(), err.getMessage());
                    return;
                }
                case RETRYOP -> {
                    if (attempt++ < rule.maxRetries()) {
                        counters.retriedOps++; // counted even when the group later rolls back
                        sleep();
                        continue;
                    }
                    throw new ReplicatException(err.getMessage() + " (REPERROR RETRYOP: gave up after " + rule.maxRetries()
                            + " retries)", err);
                }
                case TRANSABORT -> throw new TransAbort(tx, rule, err);
                default -> throw err;
            }
        }
    }

    /**
     * HANDLECOLLISIONS: a duplicate insert overwrites the row (update by key with the after image); an update
     * or delete that finds no row is ignored, except a key-changing update, which inserts the after image.
     * Returns false when the collision could not be resolved (REPERROR then decides).
     */
    private boolean collision(Transaction tx, RowChange m, Target tg, ApplyError err, Counters c) throws SQLException {
        if ("DUPLICATE".equals(err.kind) && m.op() == ChangeOp.INSERT) {
            List<String> key = !tg.keyCols().isEmpty() ? tg.keyCols() : tg.table().primaryKey();
            if (key.isEmpty()) return false;
            String[] kc = key.toArray(String[]::new);
            Object[] kv = new Object[kc.length];
            for (int i = 0; i < kc.length; i++) {
                int idx = m.after().indexOf(kc[i]);
                if (idx < 0) return false;
                kv[i] = m.after().value(idx);
            }
            RowChange upd = new RowChange(m.table(), ChangeOp.UPDATE, new RowImage(kc, kv), m.after());
            if (tryOne(tx, upd, tg) == 1) {
                c.collisionInsertsOverwritten++;
                return true;
            }
            return false;
        }
        if ("NOTFOUND".equals(err.kind)) {
            if (m.op() == ChangeOp.DELETE) {
                c.collisionDeletesIgnored++;
                return true;
            }
            if (ChangeApplier.changesKey(m, tg.table(), tg.keyCols())) {
                if (tryOne(tx, new RowChange(m.table(), ChangeOp.INSERT, null, m.after()), tg) == 1) {
                    c.collisionPkUpdatesInserted++;
                    return true;
                }
                return false;
            }
            c.collisionUpdatesIgnored++;
            return true;
        }
        return false;
    }

    /** Runs one statement under a savepoint; -1 (rolled back) on a database error. */
    private int tryOne(Transaction tx, RowChange ch, Target tg) throws SQLException {
        Savepoint sp = conn.setSavepoint();
        try {
            return applier.executeOne(tx, ch, tg.table(), tg.keyCols());
        } catch (SQLException | ApplyError e) {
            conn.rollback(sp);
            return -1;
        }
    }

    private void sleep() {
        try {
            Thread.sleep(retryDelayMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplicatException(group + ": interrupted while waiting to retry");
        }
    }

    /** Writes the checkpoint row, commits, then records discards and counters (they only count once committed). */
    private void commitGroup(List<Transaction> txs, StringBuilder discards, Counters c) throws SQLException {
        Transaction last = txs.get(txs.size() - 1);
        Set<String> xids = completedAt(last, txs);
        List<Xid> xidList = new ArrayList<>(xids.size());
        for (String x : xids) xidList.add(Xid.parse(x));
        table.update(conn, group, last.trailEnd(), last.csn(), last.commitTimestampMillis(), xidList);
        conn.commit();
        if (discards != null) discard.append(discards);
        if (c != null) counters.add(c);
        startOverride = null;
        long ops = 0;
        for (Transaction tx : txs) ops += tx.size();
        lastCheckpoint = new CheckpointTable.Row(group.toUpperCase(Locale.ROOT), CheckpointTable.groupKey(group),
                last.trailEnd(), last.csn(), last.csn(), xids, null);
        appliedTransactions += txs.size();
        appliedOperations += ops;
        if (startup == null) {
            startup = txs.get(0).trailStart() != null ? txs.get(0).trailStart() : last.trailEnd();
            startupTimestamp = txs.get(0).commitTimestampMillis();
        }
        // the file is secondary (the table is authoritative): throttled like CHECKPOINTSECS, its fsyncs cost
        if (now() - lastFileWrite >= fileCheckpointMillis) writeFileCheckpoint('A');
    }

    /** XIDs completed at the last CSN: this exchange's, plus earlier ones at the same CSN. */
    private Set<String> completedAt(Transaction last, List<Transaction> todo) {
        Set<String> xids = new LinkedHashSet<>();
        if (lastCheckpoint != null && lastCheckpoint.logCsn().equals(last.csn())) xids.addAll(lastCheckpoint.completedXids());
        for (Transaction tx : todo) {
            if (tx.csn().equals(last.csn())) xids.add(tx.xid().toString());
        }
        return xids;
    }

    private void rollbackQuietly() {
        try {
            conn.rollback();
        } catch (SQLException e) {
            LOG.warn("{}: rollback failed: {}", group, e.getMessage());
        }
    }

    // ---- checkpoint file (secondary) -------------------------------------------------------------------

    private CheckpointFile fileCheckpoint() {
        return new CheckpointFile(CheckpointFile.replicatFile(homePath(), group));
    }

    private Optional<TrailPosition> filePosition() {
        return fileCheckpoint().read().map(ProcessCheckpoint::trailRead).map(TrailReadCheckpoint::current);
    }

    private void writeFileCheckpoint(char status) {
        try {
            long now = now();
            lastFileWrite = now;
            TrailReadCheckpoint read = new TrailReadCheckpoint(trail == null ? "" : trail,
                    startup == null ? lastCheckpoint.position() : startup, startupTimestamp,
                    lastCheckpoint.position(), now);
            fileCheckpoint().write(new ProcessCheckpoint(group.toUpperCase(Locale.ROOT), "REPLICAT", List.of(), read,
                    List.of(), null, null, null, startTime, now, status));
        } catch (RuntimeException e) {
            // the table already holds the committed position; a stale file only means a longer re-read
            LOG.warn("{}: cannot write checkpoint file: {}", group, e.toString());
        }
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    private Path homePath() {
        return Path.of(home == null || home.isBlank() ? "." : home);
    }

    // ---- statistics ------------------------------------------------------------------------------------

    public synchronized long getSkippedTransactions() {
        return skippedTransactions;
    }

    public synchronized long getAppliedTransactions() {
        return appliedTransactions;
    }

    public synchronized long getAppliedOperations() {
        return appliedOperations;
    }

    /** Last committed checkpoint (as read at startup or written since), or empty. */
    public synchronized Optional<CheckpointTable.Row> lastCheckpoint() {
        return Optional.ofNullable(lastCheckpoint);
    }

    // ---- bean properties -------------------------------------------------------------------------------

    public String getGroup() {
        return group;
    }

    public void setGroup(String group) {
        this.group = group == null ? null : group.trim().toUpperCase(Locale.ROOT);
    }

    public String getHome() {
        return home;
    }

    public void setHome(String home) {
        this.home = home;
    }

    public String getJdbcUrl() {
        return jdbcUrl;
    }

    public void setJdbcUrl(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getCheckpointTable() {
        return checkpointTable;
    }

    public void setCheckpointTable(String checkpointTable) {
        this.checkpointTable = checkpointTable;
    }

    public String getTrail() {
        return trail;
    }

    /** Trail name shown in the .cpr read checkpoint, e.g. {@code ./dirdat/rt}. */
    public void setTrail(String trail) {
        this.trail = trail;
    }

    public String getTrailPath() {
        return trailPath;
    }

    /** The trail read ({@code <home>/dirdat/<prefix>}); where to start when the checkpoint table has no row. */
    public void setTrailPath(String trailPath) {
        this.trailPath = trailPath;
    }

    public long getFileCheckpointMillis() {
        return fileCheckpointMillis;
    }

    /**
     * Least time between two writes of {@code dirchk/<GROUP>.cpr} (default 1000 ms, 0 = after every commit;
     * always written at stop). The table row is written at every commit regardless.
     */
    public void setFileCheckpointMillis(long fileCheckpointMillis) {
        this.fileCheckpointMillis = fileCheckpointMillis;
    }

    public int getBatchSize() {
        return batchSize;
    }

    /** Most operations per JDBC batch (BATCHTRANSOPS), default 1000. */
    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public String getMap() {
        return map;
    }

    /** GoldenGate MAP statements separated by ';' (see {@link io.redotrail.replicat.mapping.MapParser}); blank = identity. */
    public void setMap(String map) {
        this.map = map == null ? "" : map;
    }

    public String getRepError() {
        return repErrorSpec;
    }

    /** REPERROR rules, e.g. {@code DEFAULT ABEND; NOTFOUND DISCARD; DUPLICATE IGNORE} (see {@link RepError}). */
    public void setRepError(String repError) {
        this.repErrorSpec = repError == null || repError.isBlank() ? "DEFAULT ABEND" : repError;
    }

    public boolean isHandleCollisions() {
        return handleCollisions;
    }

    /** HANDLECOLLISIONS (default false): duplicate insert → overwrite; missing row on update/delete → ignore; PK update of a missing row → insert. */
    public void setHandleCollisions(boolean handleCollisions) {
        this.handleCollisions = handleCollisions;
    }

    public int getGroupTransOps() {
        return groupTransOps;
    }

    /** GROUPTRANSOPS (default 1000): least operations per target transaction; source transactions are never split. */
    public void setGroupTransOps(int groupTransOps) {
        this.groupTransOps = groupTransOps;
    }

    public boolean isBatchSql() {
        return batchSql;
    }

    /** BATCHSQL (default true): JDBC batches of the same table, operation and column set. */
    public void setBatchSql(boolean batchSql) {
        this.batchSql = batchSql;
    }

    public OnOlderTable getOnOlderTable() {
        return onOlderTable;
    }

    /** WARN_USE_TABLE (default), ABEND or USE_FILE: see {@link OnOlderTable}. */
    public void setOnOlderTable(String onOlderTable) {
        try {
            this.onOlderTable = OnOlderTable.valueOf(onOlderTable.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("onOlderTable must be WARN_USE_TABLE, ABEND or USE_FILE, got '" + onOlderTable + "'");
        }
    }

    public String getDiscardFile() {
        return discardFile;
    }

    /** Discard file path (default {@code <home>/dirrpt/<GROUP>.dsc}). */
    public void setDiscardFile(String discardFile) {
        this.discardFile = discardFile;
    }

    public long getRetryDelayMillis() {
        return retryDelayMillis;
    }

    /** Wait before a RETRYOP or TRANSABORT retry (default 100 ms). */
    public void setRetryDelayMillis(long retryDelayMillis) {
        this.retryDelayMillis = retryDelayMillis;
    }

    /** The OGG-30176 warning of the last start, or null. */
    public synchronized String getStartupWarning() {
        return startupWarning;
    }

    /** REPERROR / HANDLECOLLISIONS counters since start (a snapshot is not taken: read while idle). */
    public synchronized Counters getCounters() {
        return counters;
    }
}
