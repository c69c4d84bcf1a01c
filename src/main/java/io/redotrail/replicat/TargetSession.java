package io.redotrail.replicat;

import io.redotrail.core.Jdbc;
import io.redotrail.core.TrailPosition;
import io.redotrail.replicat.error.DiscardFile;
import io.redotrail.replicat.error.RepError;
import io.redotrail.replicat.mapping.Mapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Start-up and the target connection. {@link #open()} checks the properties, connects (autoCommit off),
 * creates and reads the checkpoint table, validates the MAP statements against the target, then decides between
 * the checkpoint table (authoritative) and the {@code .cpr} file when the table is older (OGG-30176,
 * onOlderTable) and fixes the start position in {@link ReplicatCheckpoints}. Until {@link #close()} it holds the
 * one JDBC connection and what is bound to it: statement applier, target resolver, REPERROR rules, discard file.
 * Logs under the {@link ReplicatApplier} logger.
 * <p>
 * Not thread-safe: used only under the lock of its {@link ReplicatApplier}.
 */
final class TargetSession {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatApplier.class);

    private final ReplicatApplier cfg;
    private final ReplicatCheckpoints checkpoints;
    private Connection conn;
    private CheckpointTable table;
    private ChangeApplier applier;
    private TargetResolver targets;
    private RepError repError;
    private DiscardFile discard;

    TargetSession(ReplicatApplier cfg, ReplicatCheckpoints checkpoints) {
        this.cfg = cfg;
        this.checkpoints = checkpoints;
    }

    boolean isOpen() {
        return conn != null;
    }

    Connection conn() {
        return conn;
    }

    CheckpointTable table() {
        return table;
    }

    ChangeApplier applier() {
        return applier;
    }

    TargetResolver targets() {
        return targets;
    }

    RepError repError() {
        return repError;
    }

    DiscardFile discard() {
        return discard;
    }

    /** Connects unless connected: the Replicat's start-up. */
    void open() {
        if (conn != null) return;
        String group = cfg.getGroup();
        if (group == null || group.isBlank()) throw new IllegalStateException("ReplicatApplier: property 'group' is required");
        String jdbcUrl = cfg.getJdbcUrl();
        if (jdbcUrl == null || jdbcUrl.isBlank()) throw new IllegalStateException(group + ": property 'jdbcUrl' is required");
        Mapper mapper = Mapper.parse(cfg.getMap());      // syntax errors name the statement and position
        repError = RepError.parse(cfg.getRepError());
        int groupTransOps = cfg.getGroupTransOps();
        if (groupTransOps < 1) throw new IllegalArgumentException(group + ": groupTransOps must be >= 1, got " + groupTransOps);
        String discardFile = cfg.getDiscardFile();
        discard = new DiscardFile(discardFile == null || discardFile.isBlank()
                ? cfg.homePath().resolve("dirrpt").resolve(group + ".dsc") : Path.of(discardFile), group,
                DiscardFile.Options.parse(cfg.getDiscardFileOptions()));
        try {
            conn = Jdbc.connect(Jdbc.forBatches(jdbcUrl), cfg.getUser(), cfg.password());
            conn.setAutoCommit(false);
            table = new CheckpointTable(cfg.getCheckpointTable(), GroupKey.dirOf(cfg.homePath()));
            table.create(conn); // ADD CHECKPOINTTABLE when absent
            int adopted = table.adoptEarlierRows(conn, group);
            if (adopted > 0) LOG.info("{}: {} row(s) of this home in checkpoint table {} keyed by the group name alone now "
                    + "carry GROUP_KEY {} (name and home)", group, adopted, table.name(), table.key(group));
            checkpoints.loaded(table.read(conn, group).orElse(null), table.key(group));
            // a parallel run's _LOX entries: skipped by a serial start too, and kept until its checkpoint passes them
            checkpoints.loadedAbove(new ParallelCheckpoints(table, group).appliedAbove(conn));
            table.keepParallelLoxThrough(checkpoints.highestAppliedAbove());
            conn.commit();
            refuseIfIdentityLost(group); // before the discard recovery, which asks the rows what was committed
            recoverDiscards(group);
            applier = new ChangeApplier(group, conn, cfg.getBatchSize());
            targets = new TargetResolver(cfg, conn, mapper);
            targets.validateMappings(safeUrl());
            conn.commit();
        } catch (SQLException e) {
            close();
            throw new ReplicatException(group + ": cannot open target database " + safeUrl() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        try {
            discard.open();
            chooseStartPosition(group); // reads REP1.cpr, which may be corrupt
        } catch (RuntimeException e) {
            close(); // a refused start must not leave a session whose stop() rewrites REP1.cpr from the table row
            throw e;
        }
    }

    /**
     * A crash between a group's commit and its discard records' append left them in the side file: they go to the
     * discard file if the checkpoint table says the group committed (the restart skips exactly what it says is
     * applied: the group row, or a _LOX row of the parallel Replicat), else they are dropped (the group is applied
     * again). Before PURGE, so a purge sees a complete file.
     */
    private void recoverDiscards(String group) throws SQLException {
        String done = discard.recover(checkpoints::applied);
        conn.commit();
        if (done != null) {
            LOG.warn("{}: {}", group, done);
            if (cfg.runtimeIfBound() != null) cfg.runtime().report().info("RTR-01320", group + ": " + done);
        }
    }

    /** Whether the .cpr is still the definition ADD REPLICAT wrote: the group has never run (start time 0). */
    private boolean neverStarted() {
        return checkpoints.file().read().map(cp -> cp.startTimeMillis() == 0).orElse(false);
    }

    /** OGG-30176: the checkpoint table is authoritative, but may be older than the .cpr file; onOlderTable decides. */
    private void chooseStartPosition(String group) {
        Optional<TrailPosition> file = checkpoints.filePosition();
        checkpoints.clearStartDecision();
        CheckpointTable.Row lastCheckpoint = checkpoints.last();
        TrailPosition tablePos = lastCheckpoint != null ? lastCheckpoint.position() : null;
        // a file at seqno 0 RBA 0 (ADD REPLICAT, nothing applied yet) and a table with no row agree: nothing is older
        boolean fileAtStart = file.isPresent() && file.get().seqno() == 0 && file.get().rba() == 0;
        if (file.isPresent() && tablePos == null && !fileAtStart && neverStarted()) {
            // ADD REPLICAT ..., BEGIN NOW | EXTSEQNO n, EXTRBA m defined the group and it never ran: nothing was
            // applied, and the table has no row yet; the start point is the one ADD gave
            LOG.info("{}: first start, at the position ADD REPLICAT gave ({}); checkpoint table {} has no row yet",
                    group, file.get(), table.name());
            checkpoints.override(file.get());
        } else if (file.isPresent() && (tablePos == null ? !fileAtStart : file.get().compareTo(tablePos) > 0)) {
            // the table is authoritative; a table with no row for the group while the file has a position is
            // the extreme case of an older table (e.g. a target restored, or a database that lost its last commits)
            String tableSays = tablePos == null ? "has no row for the group (nothing applied)"
                    : "position (" + tablePos + ", CSN " + lastCheckpoint.logCsn().value() + ")";
            String msg = "OGG-30176 " + group + ": checkpoint table " + table.name() + " " + tableSays
                    + " is older than checkpoint file " + checkpoints.file().path() + " position (" + file.get()
                    + "); was the target database restored from a backup?";
            switch (cfg.getOnOlderTable()) {
                case WARN_USE_TABLE -> {
                    // re-applying needs every trail file from the table position (seqno 0 when there is no row)
                    long needed = tablePos == null ? 0 : tablePos.seqno();
                    TrailPosition first = trailBeginning();
                    if (first.seqno() > needed) {
                        close();
                        ReplicatException e = new ReplicatException(msg + " Re-applying from the table position needs "
                                + "trail files from seqno " + needed + ", but the oldest in " + cfg.getTrailPath()
                                + " is seqno " + first.seqno() + " (purged?). Not starting: restore those trail files, or "
                                + "choose onOlderTable=USE_FILE to continue from the file position.");
                        cfg.runtime().recordAbend(e);
                        throw e;
                    }
                    checkpoints.warn(msg + " Using the checkpoint table position (onOlderTable=WARN_USE_TABLE): "
                            + "transactions after it are applied again.");
                    if (tablePos == null) checkpoints.override(first);
                }
                case USE_FILE -> {
                    checkpoints.warn(msg + " Using the checkpoint file position (onOlderTable=USE_FILE): transactions between "
                            + "the two positions are NOT applied again.");
                    checkpoints.override(file.get());
                }
                case ABEND -> {
                    close();
                    ReplicatException e = new ReplicatException(msg + " Not starting (onOlderTable=ABEND); choose "
                            + "onOlderTable=WARN_USE_TABLE to re-apply from the table position or USE_FILE to continue from the file position.");
                    cfg.runtime().recordAbend(e);
                    throw e;
                }
            }
            LOG.warn(checkpoints.startupWarning());
        }
        TrailPosition startup = checkpoints.started(file);
        if (checkpoints.startupWarning() != null && cfg.getOnOlderTable() == ReplicatSettings.OnOlderTable.WARN_USE_TABLE
                && lastCheckpoint != null) {
            // the .cpr goes back to the table position now, not at the first commit: the Manager's PURGEOLDEXTRACTS
            // reads it, and must keep the trail files the re-apply needs even if the Replicat abends before a commit
            checkpoints.writeFile('A');
        }
        LOG.info("{}: connected to {}, checkpoint table {}, start position {}, {} MAP statement(s), REPERROR {}, "
                        + "HANDLECOLLISIONS {}, GROUPTRANSOPS {}, BATCHSQL {}", group, safeUrl(), table.name(),
                startup == null ? "none" : startup, targets.mapper().statements().size(), repError,
                cfg.isHandleCollisions(), cfg.getGroupTransOps(), cfg.isBatchSql());
    }

    /** First position of the trail ({@code trailPath}'s lowest existing seqno, RBA 0), or seqno 0 RBA 0. */
    /**
     * No row under this home's key while the group has run here, but rows of it written from this home's directory
     * under another key: the home's identity (dirchk/home.id) was deleted or replaced, and re-applying from the start
     * of the trail would apply everything twice (and the discard recovery would drop what a committed group left).
     * Refused whatever onOlderTable says, naming both ways on.
     */
    private void refuseIfIdentityLost(String group) throws SQLException {
        if (checkpoints.last() != null) return;
        Optional<TrailPosition> file = checkpoints.filePosition();
        if (file.isEmpty() || file.get().seqno() == 0 && file.get().rba() == 0 || neverStarted()) return;
        java.util.Set<Long> keys = table.foreignKeysHere(conn, group);
        if (keys.isEmpty()) return;
        ReplicatException e = new ReplicatException("OGG-30176 " + group + ": checkpoint table " + table.name() + " has no row "
                + "for the group under this home's GROUP_KEY " + table.key(group) + ", while checkpoint file "
                + checkpoints.file().path() + " is at " + file.get() + " and the table holds rows of " + group + " written from "
                + "this home's directory " + table.currentDir() + " under GROUP_KEY " + keys + " (GROUP_KEY hashes the group "
                + "name and the home's identity, " + cfg.homePath().resolve("dirchk").resolve(HomeIdentity.FILE) + "): was that "
                + "file deleted or replaced? Restore it from a backup of this home. If those rows are another host's home at "
                + "the same path, give this group its position with ALTER REPLICAT " + group + ", EXTSEQNO n, EXTRBA m. "
                + "Not starting.");
        cfg.runtime().recordAbend(e);
        throw e;
    }

    private TrailPosition trailBeginning() {
        String trailPath = cfg.getTrailPath();
        if (trailPath == null || trailPath.isBlank()) return TrailPosition.START;
        long[] seqnos = io.redotrail.trail.TrailFormat.seqnos(Path.of(trailPath));
        return new TrailPosition(seqnos.length == 0 ? 0 : seqnos[0], 0);
    }

    private String safeUrl() {
        return cfg.getJdbcUrl().replaceAll("[?;].*", "");
    }

    void rollbackQuietly() {
        if (table != null) table.rolledBack();
        try {
            conn.rollback();
        } catch (SQLException e) {
            LOG.warn("{}: rollback failed: {}", cfg.getGroup(), e.getMessage());
        }
    }

    /** Closes the statement applier and the connection (rolling back what is uncommitted). */
    void close() {
        if (applier != null) applier.close();
        applier = null;
        if (targets != null) targets.clear();
        if (conn != null) {
            try {
                conn.rollback();
                conn.close();
            } catch (SQLException e) {
                LOG.warn("{}: closing connection: {}", cfg.getGroup(), e.getMessage());
            }
        }
        conn = null;
    }
}
