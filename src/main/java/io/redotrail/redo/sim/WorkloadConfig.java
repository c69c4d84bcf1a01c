package io.redotrail.redo.sim;

/**
 * Parameters of one simulated workload run. Immutable, thread-safe; the {@code with*} methods return copies.
 *
 * @param transactions         transactions to run to their end (commit or rollback)
 * @param seed                 random seed; the same seed on the same starting state gives the same change stream
 * @param minOpsPerTransaction smallest number of row changes in a transaction (>= 1)
 * @param maxOpsPerTransaction largest number of row changes in a transaction
 * @param rollbackRatio        share of transactions that end with ROLLBACK, 0..1
 * @param maxOpenTransactions  how many transactions may be open at once (interleaved in the redo), >= 1
 * @param multiTableRatio      share of transactions touching several tables; the others stay on one table
 * @param pkUpdateRatio        share of row changes that are primary-key updates (when a row is available)
 * @param commitGroupSize      commits per group commit: the sink is flushed and the source updated per group
 * @param switchLogEveryRecords log switch after this many redo records, 0 = never
 * @param threads              redo threads; only 1 is supported for now
 */
public record WorkloadConfig(int transactions, long seed, int minOpsPerTransaction, int maxOpsPerTransaction,
                             double rollbackRatio, int maxOpenTransactions, double multiTableRatio,
                             double pkUpdateRatio, int commitGroupSize, long switchLogEveryRecords, int threads) {

    public WorkloadConfig {
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
        require(threads == 1, "threads", threads, "1 (several redo threads are not supported yet)");
    }

    /** 1000 transactions of 1..20 changes, 5 % rollbacks, 8 open at once, 30 % multi-table, 2 % PK updates. */
    public static WorkloadConfig defaults() {
        return new WorkloadConfig(1000, 1L, 1, 20, 0.05, 8, 0.3, 0.02, 32, 0, 1);
    }

    public WorkloadConfig withTransactions(int n) {
        return new WorkloadConfig(n, seed, minOpsPerTransaction, maxOpsPerTransaction, rollbackRatio,
                maxOpenTransactions, multiTableRatio, pkUpdateRatio, commitGroupSize, switchLogEveryRecords, threads);
    }

    public WorkloadConfig withSeed(long s) {
        return new WorkloadConfig(transactions, s, minOpsPerTransaction, maxOpsPerTransaction, rollbackRatio,
                maxOpenTransactions, multiTableRatio, pkUpdateRatio, commitGroupSize, switchLogEveryRecords, threads);
    }

    public WorkloadConfig withOpsPerTransaction(int min, int max) {
        return new WorkloadConfig(transactions, seed, min, max, rollbackRatio,
                maxOpenTransactions, multiTableRatio, pkUpdateRatio, commitGroupSize, switchLogEveryRecords, threads);
    }

    public WorkloadConfig withRollbackRatio(double r) {
        return new WorkloadConfig(transactions, seed, minOpsPerTransaction, maxOpsPerTransaction, r,
                maxOpenTransactions, multiTableRatio, pkUpdateRatio, commitGroupSize, switchLogEveryRecords, threads);
    }

    public WorkloadConfig withMaxOpenTransactions(int n) {
        return new WorkloadConfig(transactions, seed, minOpsPerTransaction, maxOpsPerTransaction, rollbackRatio,
                n, multiTableRatio, pkUpdateRatio, commitGroupSize, switchLogEveryRecords, threads);
    }

    public WorkloadConfig withMultiTableRatio(double r) {
        return new WorkloadConfig(transactions, seed, minOpsPerTransaction, maxOpsPerTransaction, rollbackRatio,
                maxOpenTransactions, r, pkUpdateRatio, commitGroupSize, switchLogEveryRecords, threads);
    }

    public WorkloadConfig withPkUpdateRatio(double r) {
        return new WorkloadConfig(transactions, seed, minOpsPerTransaction, maxOpsPerTransaction, rollbackRatio,
                maxOpenTransactions, multiTableRatio, r, commitGroupSize, switchLogEveryRecords, threads);
    }

    public WorkloadConfig withCommitGroupSize(int n) {
        return new WorkloadConfig(transactions, seed, minOpsPerTransaction, maxOpsPerTransaction, rollbackRatio,
                maxOpenTransactions, multiTableRatio, pkUpdateRatio, n, switchLogEveryRecords, threads);
    }

    public WorkloadConfig withSwitchLogEveryRecords(long n) {
        return new WorkloadConfig(transactions, seed, minOpsPerTransaction, maxOpsPerTransaction, rollbackRatio,
                maxOpenTransactions, multiTableRatio, pkUpdateRatio, commitGroupSize, n, threads);
    }

    private static void require(boolean ok, String parameter, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("workload parameter " + parameter + " must be " + rule + ", got " + value);
        }
    }
}
