package io.redotrail.replicat;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The bean properties of a {@link ReplicatApplier} (set from YAML or by callers before it starts): target
 * connection, checkpoint table, trail, MAP, REPERROR, HANDLECOLLISIONS, GROUPTRANSOPS, BATCHSQL, DISCARDFILE and
 * the OGG-30176 choice. Only values and their validation live here; what the replicat does with them lives in
 * {@link ReplicatApplier} and the classes it drives.
 */
public abstract class ReplicatSettings {
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
    private String map = "";
    private String repErrorSpec = "DEFAULT ABEND";
    private boolean handleCollisions;
    private int groupTransOps = 1000;
    private boolean batchSql = true;
    private boolean stageAhead = true;
    private OnOlderTable onOlderTable = OnOlderTable.WARN_USE_TABLE;
    private String discardFile;
    private String discardFileOptions = "APPEND, MEGABYTES 50";
    private long retryDelayMillis = 100;
    private long caughtUpWaitMillis = 500;
    private String reportCount = "";
    private String atCsn = "";
    private String afterCsn = "";
    private boolean parallel;
    private int applyParallelism = 4;
    private int minApplyParallelism;
    private int maxApplyParallelism;
    private long applyTuneMillis = 1000;
    private int mapParallelism = 1;
    /** SPLIT_TRANS_RECS; 0: not set, transactions are not split (GoldenGate's default). */
    private int splitTransRecs = 0;
    private CommitSerialization commitSerialization = CommitSerialization.DEPENDENT_TRANSACTIONS;

    /** COMMIT_SERIALIZATION of the parallel Replicat. */
    public enum CommitSerialization {
        /** a transaction commits after every transaction it depends on (default, as GoldenGate's) */
        DEPENDENT_TRANSACTIONS,
        /** every transaction commits in source (trail) order; applying is still parallel */
        FULL
    }

    /** What to do when the checkpoint table is behind the checkpoint file (OGG-30176, target restored from a backup). */
    public enum OnOlderTable {
        /** warn, and start from the table position: transactions after it are applied again (default) */
        WARN_USE_TABLE,
        /** refuse to start */
        ABEND,
        /** warn, and start from the file position: what lies between the two positions is not applied again */
        USE_FILE
    }

    /** The redotrail home ({@code home}, blank = current directory). */
    Path homePath() {
        return Path.of(home == null || home.isBlank() ? "." : home);
    }

    String password() {
        return password;
    }

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

    public boolean isStageAhead() {
        return stageAhead;
    }

    /**
     * Stage-ahead (default true): with BATCHSQL, a group is committed on a second thread while the route thread maps
     * and stages the next one ({@link GroupCommitter}); false: the route thread does both, one after the other.
     */
    public void setStageAhead(boolean stageAhead) {
        this.stageAhead = stageAhead;
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

    public String getDiscardFileOptions() {
        return discardFileOptions;
    }

    /** DISCARDFILE options: {@code APPEND | PURGE} (default APPEND; PURGE empties it at start), {@code MEGABYTES n | MAXBYTES n} (default 50 MB). */
    public void setDiscardFileOptions(String discardFileOptions) {
        io.redotrail.replicat.error.DiscardFile.Options.parse(discardFileOptions); // fail at configuration time
        this.discardFileOptions = discardFileOptions == null ? "" : discardFileOptions;
    }

    public long getRetryDelayMillis() {
        return retryDelayMillis;
    }

    /** Wait before a RETRYOP or TRANSABORT retry (default 100 ms). */
    public void setRetryDelayMillis(long retryDelayMillis) {
        this.retryDelayMillis = retryDelayMillis;
    }

    public long getCaughtUpWaitMillis() {
        return caughtUpWaitMillis;
    }

    /**
     * Parallel Replicat: how long the trail thread waits, after an exchange that reached the end of the trail, for
     * what is in flight to commit before it writes the low watermark (default 500 ms): long enough for a full
     * in-flight window, short enough that new trail data does not wait behind a transaction that takes minutes.
     */
    public void setCaughtUpWaitMillis(long caughtUpWaitMillis) {
        if (caughtUpWaitMillis < 0) throw new IllegalArgumentException("caughtUpWaitMillis below 0: " + caughtUpWaitMillis);
        this.caughtUpWaitMillis = caughtUpWaitMillis;
    }

    public String getReportCount() {
        return reportCount;
    }

    /** REPORTCOUNT: EVERY n RECORDS | SECONDS | MINUTES (redotrail.reportCount), empty = off. */
    public void setReportCount(String reportCount) {
        this.reportCount = reportCount;
    }

    public String getAtCsn() {
        return atCsn;
    }

    /** START REPLICAT ..., ATCSN n (redotrail.replicat.atCsn): skip transactions with CSN < n; empty = off. */
    public void setAtCsn(String atCsn) {
        this.atCsn = atCsn;
    }

    public String getAfterCsn() {
        return afterCsn;
    }

    /** START REPLICAT ..., AFTERCSN n (redotrail.replicat.afterCsn): skip transactions with CSN <= n; empty = off. */
    public void setAfterCsn(String afterCsn) {
        this.afterCsn = afterCsn;
    }

    // ---- parallel Replicat (ADD REPLICAT r, PARALLEL; ParallelReplicat) -----------------------------------

    public boolean isParallel() {
        return parallel;
    }

    /** PARALLEL (ADD REPLICAT ..., PARALLEL): apply on several connections, scheduled by dependencies. */
    public void setParallel(boolean parallel) {
        this.parallel = parallel;
    }

    /** APPLY_PARALLELISM: the appliers, a fixed number (unless MIN/MAX_APPLY_PARALLELISM are set, see {@link #isApplyParallelismTuned}). */
    public int getApplyParallelism() {
        return applyParallelism;
    }

    /**
     * MIN_APPLY_PARALLELISM and MAX_APPLY_PARALLELISM are set: the parallel Replicat adds and retires appliers
     * between them ({@link ApplierTuner}) and APPLY_PARALLELISM is not used. One without the other, or MIN above MAX,
     * is refused, naming both.
     */
    public boolean isApplyParallelismTuned() {
        if ((minApplyParallelism > 0) != (maxApplyParallelism > 0)) {
            throw new IllegalArgumentException("MIN_APPLY_PARALLELISM (minApplyParallelism " + minApplyParallelism
                    + ") and MAX_APPLY_PARALLELISM (maxApplyParallelism " + maxApplyParallelism
                    + ") go together: the range the appliers are tuned in; set both or neither");
        }
        if (minApplyParallelism > maxApplyParallelism) {
            throw new IllegalArgumentException("MIN_APPLY_PARALLELISM " + minApplyParallelism + " is above MAX_APPLY_PARALLELISM "
                    + maxApplyParallelism);
        }
        return minApplyParallelism > 0;
    }

    public int getMinApplyParallelism() {
        return minApplyParallelism;
    }

    public int getMaxApplyParallelism() {
        return maxApplyParallelism;
    }

    public long getApplyTuneMillis() {
        return applyTuneMillis;
    }

    /** How often (milliseconds, 100..60000, default 1000) MIN/MAX_APPLY_PARALLELISM may add or retire one applier. */
    public void setApplyTuneMillis(long millis) {
        if (millis < 100 || millis > 60_000) throw new IllegalArgumentException("applyTuneMillis must be 100..60000, got " + millis);
        this.applyTuneMillis = millis;
    }

    public void setApplyParallelism(int n) {
        this.applyParallelism = positive("applyParallelism", n);
    }

    public void setMinApplyParallelism(int n) {
        this.minApplyParallelism = n == 0 ? 0 : positive("minApplyParallelism", n);
    }

    public void setMaxApplyParallelism(int n) {
        this.maxApplyParallelism = n == 0 ? 0 : positive("maxApplyParallelism", n);
    }

    public int getMapParallelism() {
        return mapParallelism;
    }

    /** MAP_PARALLELISM: 1 maps on the parallel Replicat's trail thread, n above 1 on n mapper threads ({@link ParallelMappers}). */
    public void setMapParallelism(int n) {
        this.mapParallelism = positive("mapParallelism", n);
    }

    public int getSplitTransRecs() {
        return splitTransRecs;
    }

    /**
     * SPLIT_TRANS_RECS n (parallel Replicat): a source transaction of more than n operations is applied as pieces of
     * n, each committed on its own, in parallel where their dependencies allow ({@link TransactionPiece}); 0: not set.
     */
    public void setSplitTransRecs(int n) {
        if (n < 0) throw new IllegalArgumentException("splitTransRecs must be >= 0 (0: not set), got " + n);
        this.splitTransRecs = n;
    }

    public CommitSerialization getCommitSerialization() {
        return commitSerialization;
    }

    public void setCommitSerialization(String v) {
        try {
            this.commitSerialization = CommitSerialization.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("commitSerialization must be FULL or DEPENDENT_TRANSACTIONS, got " + v);
        }
    }

    private static int positive(String name, int n) {
        if (n < 1 || n > 256) throw new IllegalArgumentException(name + " must be 1..256, got " + n);
        return n;
    }
}
