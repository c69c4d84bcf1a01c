package io.redotrail.sim;

import java.util.List;

/**
 * Parameters of one simulated workload run. Immutable, thread-safe; the {@code with*} methods return copies.
 *
 * @param transactions         transactions to run to their end (commit or rollback)
 * @param seed                 random seed; the same seed on the same starting state gives the same change stream
 * @param minOpsPerTransaction smallest number of row changes in a transaction (>= 1)
 * @param maxOpsPerTransaction largest number of row changes in a transaction
 * @param rollbackRatio        share of transactions that end with ROLLBACK, 0..1
 * @param maxOpenTransactions  how many ordinary transactions may be open at once (interleaved in the redo), >= 1;
 *                             long-running transactions come on top
 * @param multiTableRatio      share of transactions touching several tables; the others stay on one table
 * @param pkUpdateRatio        share of row changes that are primary-key updates (when a row is available)
 * @param commitGroupSize      commits per group commit: the sink is flushed and the source updated per group
 * @param switchLogEveryRecords log switch after this many redo records, 0 = never
 * @param threads              redo threads (RAC instances), >= 1; transactions are assigned round-robin
 * @param tables               tables transactions change ({@code OWNER.TABLE}); empty = every table of the schema.
 *                             A child table's parent gets the rows the child needs even when not listed
 * @param rowsPerSecond        row changes per second of clock time, 0 = unthrottled. With the real clock the
 *                             generator sleeps; with a {@link SimulatedClock} it advances that clock instead
 * @param longTxRatio          share of transactions that are long-running, 0..1
 * @param longTxMillis         a long transaction stays open at least this long in clock time (0 = no time bound)
 * @param longTxOtherCommits   ... and until this many other transactions committed meanwhile (0 = no count bound)
 * @param lobRatio             share of changes to a table with a large character column that write a 1 MB value
 */
public record WorkloadConfig(int transactions, long seed, int minOpsPerTransaction, int maxOpsPerTransaction,
                             double rollbackRatio, int maxOpenTransactions, double multiTableRatio,
                             double pkUpdateRatio, int commitGroupSize, long switchLogEveryRecords, int threads,
                             List<String> tables, double rowsPerSecond, double longTxRatio, long longTxMillis,
                             int longTxOtherCommits, double lobRatio) {

    public WorkloadConfig {
        tables = List.copyOf(tables);
        require(transactions >= 0, "transactions", transactions, ">= 0");
        require(minOpsPerTransaction >= 1, "minOpsPerTransaction", minOpsPerTransaction, ">= 1");
        require(maxOpsPerTransaction >= minOpsPerTransaction, "maxOpsPerTransaction", maxOpsPerTransaction,
                ">= minOpsPerTransaction (" + minOpsPerTransaction + ")");
        require(rollbackRatio >= 0 && rollbackRatio <= 1, "rollbackRatio", rollbackRatio, "between 0 and 1");
        require(maxOpenTransactions >= 1, "maxOpenTransactions", maxOpenTransactions, ">= 1");
        require(multiTableRatio >= 0 && multiTableRatio <= 1, "multiTableRatio", multiTableRatio, "between 0 and 1");
        require(pkUpdateRatio >= 0 && pkUpdateRatio <= 0.5, "pkUpdateRatio", pkUpdateRatio, "between 0 and 0.5");
        require(commitGroupSize >= 1, "commitGroupSize", commitGroupSize, ">= 1");
        require(switchLogEveryRecords >= 0, "switchLogEveryRecords", switchLogEveryRecords, ">= 0");
        require(threads >= 1 && threads <= 64, "threads", threads, "between 1 and 64");
        require(rowsPerSecond >= 0, "rowsPerSecond", rowsPerSecond, ">= 0");
        require(longTxRatio >= 0 && longTxRatio <= 1, "longTxRatio", longTxRatio, "between 0 and 1");
        require(longTxMillis >= 0, "longTxMillis", longTxMillis, ">= 0");
        require(longTxOtherCommits >= 0, "longTxOtherCommits", longTxOtherCommits, ">= 0");
        require(longTxRatio == 0 || longTxMillis > 0 || longTxOtherCommits > 0, "longTxMillis/longTxOtherCommits",
                longTxMillis + "/" + longTxOtherCommits, "> 0 (at least one) when longTxRatio > 0");
        require(lobRatio >= 0 && lobRatio <= 1, "lobRatio", lobRatio, "between 0 and 1");
    }

    /** 1000 transactions of 1..20 changes, 5 % rollbacks, 8 open at once, 30 % multi-table, 2 % PK updates, 1 thread. */
    public static WorkloadConfig defaults() {
        return new WorkloadConfig(1000, 1L, 1, 20, 0.05, 8, 0.3, 0.02, 32, 0, 1, List.of(), 0, 0, 0, 0, 0);
    }

    private Builder b() {
        return new Builder(this);
    }

    public WorkloadConfig withTransactions(int n) {
        return b().set(x -> x.transactions = n);
    }

    public WorkloadConfig withSeed(long s) {
        return b().set(x -> x.seed = s);
    }

    public WorkloadConfig withOpsPerTransaction(int min, int max) {
        return b().set(x -> {
            x.minOps = min;
            x.maxOps = max;
        });
    }

    public WorkloadConfig withRollbackRatio(double r) {
        return b().set(x -> x.rollbackRatio = r);
    }

    public WorkloadConfig withMaxOpenTransactions(int n) {
        return b().set(x -> x.maxOpen = n);
    }

    public WorkloadConfig withMultiTableRatio(double r) {
        return b().set(x -> x.multiTableRatio = r);
    }

    public WorkloadConfig withPkUpdateRatio(double r) {
        return b().set(x -> x.pkUpdateRatio = r);
    }

    public WorkloadConfig withCommitGroupSize(int n) {
        return b().set(x -> x.commitGroupSize = n);
    }

    public WorkloadConfig withSwitchLogEveryRecords(long n) {
        return b().set(x -> x.switchLogEvery = n);
    }

    public WorkloadConfig withThreads(int n) {
        return b().set(x -> x.threads = n);
    }

    public WorkloadConfig withTables(List<String> t) {
        return b().set(x -> x.tables = t);
    }

    public WorkloadConfig withRowsPerSecond(double r) {
        return b().set(x -> x.rowsPerSecond = r);
    }

    /** {@code ratio} of transactions stay open for at least {@code millis} of clock time and {@code otherCommits} other commits. */
    public WorkloadConfig withLongTransactions(double ratio, long millis, int otherCommits) {
        return b().set(x -> {
            x.longTxRatio = ratio;
            x.longTxMillis = millis;
            x.longTxOtherCommits = otherCommits;
        });
    }

    public WorkloadConfig withLobRatio(double r) {
        return b().set(x -> x.lobRatio = r);
    }

    private static void require(boolean ok, String parameter, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("workload parameter " + parameter + " must be " + rule + ", got " + value);
        }
    }

    private static final class Builder {
        int transactions, minOps, maxOps, maxOpen, commitGroupSize, threads, longTxOtherCommits;
        long seed, switchLogEvery, longTxMillis;
        double rollbackRatio, multiTableRatio, pkUpdateRatio, rowsPerSecond, longTxRatio, lobRatio;
        List<String> tables;

        Builder(WorkloadConfig c) {
            transactions = c.transactions;
            seed = c.seed;
            minOps = c.minOpsPerTransaction;
            maxOps = c.maxOpsPerTransaction;
            rollbackRatio = c.rollbackRatio;
            maxOpen = c.maxOpenTransactions;
            multiTableRatio = c.multiTableRatio;
            pkUpdateRatio = c.pkUpdateRatio;
            commitGroupSize = c.commitGroupSize;
            switchLogEvery = c.switchLogEveryRecords;
            threads = c.threads;
            tables = c.tables;
            rowsPerSecond = c.rowsPerSecond;
            longTxRatio = c.longTxRatio;
            longTxMillis = c.longTxMillis;
            longTxOtherCommits = c.longTxOtherCommits;
            lobRatio = c.lobRatio;
        }

        WorkloadConfig set(java.util.function.Consumer<Builder> f) {
            f.accept(this);
            return new WorkloadConfig(transactions, seed, minOps, maxOps, rollbackRatio, maxOpen, multiTableRatio,
                    pkUpdateRatio, commitGroupSize, switchLogEvery, threads, tables, rowsPerSecond, longTxRatio,
                    longTxMillis, longTxOtherCommits, lobRatio);
        }
    }
}
