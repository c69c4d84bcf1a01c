package io.redotrail.bench;

import java.util.Locale;

/**
 * One round's seconds per stage (the Replicat's, the parallel Replicat's and the end-to-end stage's with the JVM's
 * CPU and JIT time meanwhile; {@code parallel} null unless PostgreSQL) and its limit.
 */
record PipelineRound(double extract, double pump, double replicat, double replicatStarted, double replicatFirstCommit,
                     double replicatCpu, double committerCpu, double replicatGc, Timed replicatJvm, Timed parallel,
                     double e2e, double e2eFirstCommit, Timed e2eJvm, PlainLimit.Result limit, long insertRows) {
    /** Each stage's and each limit's best (fewest seconds) of two rounds. */
    PipelineRound best(PipelineRound o) {
        PlainLimit.Result l = new PlainLimit.Result(limit.ops(), Math.min(limit.serialSeconds(), o.limit.serialSeconds()),
                Math.min(limit.serialCpuSeconds(), o.limit.serialCpuSeconds()),
                Math.min(limit.serialGcSeconds(), o.limit.serialGcSeconds()), limit.serialJvm().least(o.limit.serialJvm()),
                limit.connections(), limit.partitioned().least(o.limit.partitioned()));
        return new PipelineRound(Math.min(extract, o.extract), Math.min(pump, o.pump), Math.min(replicat, o.replicat),
                Math.min(replicatStarted, o.replicatStarted), Math.min(replicatFirstCommit, o.replicatFirstCommit),
                Math.min(replicatCpu, o.replicatCpu), Math.min(committerCpu, o.committerCpu), Math.min(replicatGc, o.replicatGc),
                replicatJvm.least(o.replicatJvm), parallel == null ? null : parallel.least(o.parallel), Math.min(e2e, o.e2e),
                Math.min(e2eFirstCommit, o.e2eFirstCommit), e2eJvm.least(o.e2eJvm), l, insertRows);
    }

    String describe() {
        return String.format(Locale.ROOT, "extract %.2f s, pump %.2f s, replicat %.2f s (started at %.2f s, first commit at "
                + "%.2f s, route thread %.2f CPU-s, committer %.2f CPU-s, GC pauses %.2f s, %s), "
                + "%send to end %.2f s (first commit at %.2f s, %s), "
                + "plain apply %.2f s (%.2f CPU-s, GC pauses %.2f s, %s) on 1 connection and %.2f s on %d (%s)", extract,
                pump, replicat, replicatStarted, replicatFirstCommit, replicatCpu, committerCpu, replicatGc, replicatJvm.jvm(),
                parallel == null ? "" : String.format(Locale.ROOT, "parallel replicat %.2f s (%s), ", parallel.seconds(),
                        parallel.jvm()), e2e, e2eFirstCommit, e2eJvm.jvm(), limit.serialSeconds(), limit.serialCpuSeconds(),
                limit.serialGcSeconds(), limit.serialJvm().jvm(), limit.partitioned().seconds(), limit.connections(),
                limit.partitioned().jvm());
    }
}
