package io.redotrail.cli;

import io.redotrail.bench.ExtractBench;
import io.redotrail.bench.LagBench;
import io.redotrail.bench.LinkBench;
import io.redotrail.bench.ObserveBench;
import io.redotrail.bench.PipelineBench;
import io.redotrail.bench.PumpLinkBench;
import io.redotrail.bench.RecoveryBench;
import io.redotrail.bench.ReplicatBench;
import io.redotrail.bench.SplitBench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code bench [--recovery | --lag | --observe]} and {@code bench replicat}: the benchmarks of {@code io.redotrail.bench}, each in a
 * scratch home it wipes first (only one bench made, see {@code BenchHome.wipe}), each writing its section of
 * {@code docs/performance.md}.
 */
@Command(name = "bench", description = {"Measure extract, pump, replicat and end-to-end rates in a scratch home "
        + "(default: the home's name + -bench, wiped first) against a plain JDBC apply of the same operations "
        + "(1 connection, and N partitioned by key), --repeat rounds in turn, the best of each figure, write docs/performance.md "
        + "and end with one 'goal:' line per goal.",
        "--recovery: extract restart time after kill -9 with a 10-hour-old open transaction, Bounded Recovery on and off.",
        "--lag: commit-to-apply lag percentiles at 50%% and 90%% of the end-to-end maximum (measured first, or --max-rate), "
                + "--lag-seconds each after an unmeasured warm-up; ends with 'goal: lag-p99-at-50 <ms> 1000 MET|NOT MET'.",
        "--observe: the cost of observability: the end-to-end stage --repeat times with metrics, HTTP server and JMX off and on "
                + "(alternately, ABBA), each run's rate, the best of each and 'observability cost: on/off <r> of rows/s, <r> of rows per CPU-second'.",
        "bench replicat: the Replicat's apply rate against a plain batch insert (see 'bench replicat --help').",
        "bench link: the pump-collector link's throughput against a local copy of the trail (see 'bench link --help').",
        "bench extract: the extract alone, best of --repeat runs after --warmup unmeasured ones, rows/s and rows per CPU-second (see 'bench extract --help')."},
        subcommands = {BenchCommand.Replicat.class, BenchCommand.LinkCmd.class, BenchCommand.ExtractCmd.class, BenchCommand.SplitCmd.class})
final class BenchCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--transactions", paramLabel = "N", description = "transactions (default: redotrail.bench.transactions; 300,000 with --recovery)")
    Integer transactions;

    @Option(names = "--seed", paramLabel = "S", description = "workload seed (default: redotrail.workload.seed)")
    Long seed;

    @Option(names = "--recovery", description = "measure extract restart after a crash instead")
    boolean recovery;

    @Option(names = "--lag", description = "measure commit-to-apply lag under a steady load instead")
    boolean lag;

    @Option(names = "--observe", description = "measure what metrics, the HTTP server and JMX cost the end-to-end rate instead")
    boolean observe;

    @Option(names = "--repeat", paramLabel = "R", defaultValue = "3", description = "rounds of every stage and of the limit, "
            + "run in turn, each figure the best of its rounds; with --observe: runs per mode, the best reported (default: ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--max-rate", paramLabel = "ROWS", description = "with --lag: the end-to-end maximum, committed row changes/s "
            + "(default: measured first on --transactions)")
    Double maxRate;

    @Option(names = "--lag-seconds", paramLabel = "S", defaultValue = "60", description = "with --lag: seconds of each measured phase (default: ${DEFAULT-VALUE})")
    int lagSeconds;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "10", description = "with --lag: unmeasured warm-up at 50%% (default: ${DEFAULT-VALUE})")
    int warmupSeconds;

    @Option(names = "--output", paramLabel = "FILE", defaultValue = "docs/performance.md", description = "report file (default: ${DEFAULT-VALUE})")
    Path output;

    @Option(names = "--section", paramLabel = "NAME", description = "section of the report file to replace (default: bench; bench-pg with --target postgresql, bench-lag with --lag)")
    String section;

    @Option(names = "--title", paramLabel = "TEXT", description = "the section's title")
    String title;

    @Option(names = "--target", paramLabel = "DB", defaultValue = "h2",
            description = "target of the replicat stages and of the plain apply: h2 or postgresql (default: ${DEFAULT-VALUE})")
    String target;

    /** With --target postgresql. */
    @Mixin
    PgServerOptions pg;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "4",
            description = "connections of the plain apply partitioned by key (default: ${DEFAULT-VALUE})")
    int connections;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!target.equalsIgnoreCase("h2") && !target.equalsIgnoreCase("postgresql")) {
            throw new ParameterException(spec.commandLine(), "--target must be h2 or postgresql, got '" + target + "'");
        }
        if (connections < 1) throw new ParameterException(spec.commandLine(), "--connections must be at least 1");
        if ((lag ? 1 : 0) + (recovery ? 1 : 0) + (observe ? 1 : 0) > 1) {
            throw new ParameterException(spec.commandLine(), "--lag, --recovery and --observe exclude each other");
        }
        if ((lag || recovery) && spec.commandLine().getParseResult().hasMatchedOption("--repeat")) {
            throw new ParameterException(spec.commandLine(), "--repeat does not go with --lag or --recovery");
        }
        if (repeat < 1) throw new ParameterException(spec.commandLine(), "--repeat must be at least 1");
        if (!lag && (maxRate != null || spec.commandLine().getParseResult().hasMatchedOption("--lag-seconds")
                || spec.commandLine().getParseResult().hasMatchedOption("--warmup-seconds"))) {
            throw new ParameterException(spec.commandLine(), "--max-rate, --lag-seconds and --warmup-seconds go with --lag");
        }
        LagBench.Options lagOptions = null;
        if (lag) {
            try {
                lagOptions = new LagBench.Options(maxRate, lagSeconds, warmupSeconds);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        if (common.home == null) {
            // bench wipes its home: never the user's, a scratch one beside it unless --home says otherwise
            common.home = Path.of(common.settings().get("redotrail.home") + "-bench").toAbsolutePath();
        }
        var options = new PipelineBench.Options(transactions, seed, target, pg.url, pg.user, connections);
        if (observe) ObserveBench.run(common.settings(), options, repeat, System.out);
        else if (recovery) RecoveryBench.report(common.settings(), transactions, output, System.out);
        else if (lag) LagBench.run(common.settings(), options, lagOptions, new PipelineBench.Report(output,
                section != null ? section : "bench-lag", title != null ? title : "Latest `bin/redotrail bench --lag` run"), System.out);
        else {
            // each target keeps its own section: a PostgreSQL run no longer replaces the H2 figures
            boolean postgres = target.equalsIgnoreCase("postgresql");
            PipelineBench.run(common.settings(), options, repeat, new PipelineBench.Report(output,
                    section != null ? section : postgres ? "bench-pg" : "bench",
                    title != null ? title : postgres ? "Latest `bin/redotrail bench --target postgresql` run" : "Latest `bin/redotrail bench` run"),
                    System.out);
        }
        return 0;
    }

    @Command(name = "replicat", description = {"Measure the Replicat's apply rate from a pre-written trail on H2 and "
            + "PostgreSQL, GROUPTRANSOPS 1/100/1000 x BATCHSQL on/off, against a plain JDBC batch insert of the same rows, "
            + "in a scratch home (default: target/replicat-bench, wiped first) and write its section of docs/performance.md."})
    static final class Replicat implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--transactions", paramLabel = "N", defaultValue = "10000", description = "source transactions (default: ${DEFAULT-VALUE})")
        int transactions;

        @Option(names = "--repeat", paramLabel = "R", defaultValue = "3", description = "runs per figure, the median reported (default: ${DEFAULT-VALUE})")
        int repeat;

        @Mixin
        PgServerOptions pg;

        @Option(names = "--no-pg", description = "H2 only")
        boolean noPg;

        @Option(names = "--output", paramLabel = "FILE", defaultValue = "docs/performance.md", description = "report file (default: ${DEFAULT-VALUE})")
        Path output;

        @Override
        public Integer call() throws Exception {
            refuseOptionsBefore(spec, "replicat");
            if (noPg && spec.commandLine().getParseResult().hasMatchedOption("--pg")) {
                throw new ParameterException(spec.commandLine(), "--pg and --no-pg exclude each other");
            }
            if (transactions < 1 || repeat < 1) {
                throw new ParameterException(spec.commandLine(), "--transactions and --repeat must be at least 1");
            }
            if (common.home == null) common.home = Path.of("target/replicat-bench").toAbsolutePath();
            ReplicatBench.run(common.settings(), new ReplicatBench.Options(transactions, repeat, noPg ? null : pg.url, pg.user, output),
                    System.out);
            return 0;
        }
    }

    @Command(name = "split", description = {"Measure SPLIT_TRANS_RECS on PostgreSQL: one source transaction of --rows inserts"
            + " applied by the parallel Replicat whole and with each --split, against the plain JDBC apply of the same rows on"
            + " as many connections partitioned by key, each into a new empty database and checked; a warm-up round, then"
            + " --repeat rounds; prints the best of each and its ratio to the plain apply. Writes no report section."})
    static final class SplitCmd implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--rows", paramLabel = "N", defaultValue = "200000", description = "inserts in the transaction (default: ${DEFAULT-VALUE})")
        int rows;

        @Option(names = "--repeat", paramLabel = "R", defaultValue = "3", description = "measured rounds, the best reported (default: ${DEFAULT-VALUE})")
        int repeat;

        @Option(names = "--connections", paramLabel = "N", defaultValue = "4", description = "APPLY_PARALLELISM, and the plain apply's connections (default: ${DEFAULT-VALUE})")
        int connections;

        @Option(names = "--split", paramLabel = "N", split = ",", defaultValue = "25000,5000", description = "SPLIT_TRANS_RECS values to measure (default: ${DEFAULT-VALUE})")
        List<Integer> splits;

        @Mixin
        PgServerOptions pg;

        @Override
        public Integer call() throws Exception {
            refuseOptionsBefore(spec, "split");
            SplitBench.Options o;
            try {
                o = new SplitBench.Options(rows, repeat, connections, splits, pg.url, pg.user);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (common.home == null) common.home = Path.of("target/split-bench").toAbsolutePath();
            SplitBench.run(common.settings(), o, System.out);
            return 0;
        }
    }

    @Command(name = "link", description = {"Measure the pump-collector path over loopback TCP against a local copy of the same"
            + " trail: the primary Extract writes the workload's trail once (and once more with ENCRYPTTRAIL AES256), then the pump"
            + " copies it to a local trail (the baseline) and to the collector a target Manager starts: plain, COMPRESS (LZ4, zstd),"
            + " TLS 1.3, TLS with COMPRESS, and the encrypted trail's records PASSTHRU. Every copy is checked against the source trail"
            + " (transactions, row changes, last CSN, SHA-256; a copy that differs is an error, exit 1). In a scratch root (default"
            + " target/link-bench, wiped first; homes source/ and target/); writes its section of docs/performance.md.",
            "--framing: the link's framing alone instead (frames between two threads: no pump, no collector, no fsync)."})
    static final class LinkCmd implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--transactions", paramLabel = "N", defaultValue = "20000", description = "source transactions (default: ${DEFAULT-VALUE})")
        int transactions;

        @Option(names = "--repeat", paramLabel = "R", defaultValue = "3", description = "runs per figure, the median reported (default: ${DEFAULT-VALUE})")
        int repeat;

        @Option(names = "--framing", description = "measure the link's framing alone (plain, COMPRESS, TLS between two threads)")
        boolean framing;

        @Option(names = "--output", paramLabel = "FILE", defaultValue = "docs/performance.md", description = "report file (default: ${DEFAULT-VALUE})")
        Path output;

        @Override
        public Integer call() throws Exception {
            refuseOptionsBefore(spec, "link");
            if (transactions < 1 || repeat < 1) throw new ParameterException(spec.commandLine(), "--transactions and --repeat must be at least 1");
            if (common.home == null) common.home = Path.of("target/link-bench").toAbsolutePath();
            if (framing) LinkBench.run(common.settings(), new LinkBench.Options(transactions, repeat, output), System.out);
            else PumpLinkBench.run(common.settings(), new PumpLinkBench.Options(transactions, 42, repeat, output), System.out);
            return 0;
        }
    }

    @Command(name = "extract", description = {"Measure the extract alone (redo -> local trail, fsynced and checkpointed) on the"
            + " bench workload: played once into a scratch home (default: the home's name + -bench, wiped first), then"
            + " extracted from scratch --warmup times unmeasured (the JIT compiles the extract's code through a JVM's first"
            + " runs), then --repeat times timed; prints each run's rows/s and rows per CPU-second (all threads of the"
            + " process) and ends with 'goal: extract-alone <best rows/s> 1000000 MET|NOT MET'. Writes no report section."})
    static final class ExtractCmd implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--transactions", paramLabel = "N", description = "transactions (default: redotrail.bench.transactions)")
        Integer transactions;

        @Option(names = "--seed", paramLabel = "S", description = "workload seed (default: redotrail.workload.seed)")
        Long seed;

        @Option(names = "--warmup", paramLabel = "W", description = "unmeasured extract runs first (default: "
                + ExtractBench.DEFAULT_WARM_UPS + ")")
        int warmUps = ExtractBench.DEFAULT_WARM_UPS;

        @Option(names = "--repeat", paramLabel = "R", defaultValue = "3", description = "timed extract runs, the best reported (default: ${DEFAULT-VALUE})")
        int repeat;

        @Option(names = "--jfr", paramLabel = "FILE", description = "record the timed runs (not the workload) with JDK Flight Recorder into FILE")
        Path jfr;

        @Override
        public Integer call() throws Exception {
            refuseOptionsBefore(spec, "extract");
            if (repeat < 1) throw new ParameterException(spec.commandLine(), "--repeat must be at least 1");
            if (warmUps < 0) throw new ParameterException(spec.commandLine(), "--warmup must be at least 0");
            if (transactions != null && transactions < 1) throw new ParameterException(spec.commandLine(), "--transactions must be at least 1");
            if (common.home == null) common.home = Path.of(common.settings().get("redotrail.home") + "-bench").toAbsolutePath();
            ExtractBench.run(common.settings(), new ExtractBench.Options(transactions, seed, warmUps, repeat, jfr), System.out);
            return 0;
        }
    }

    /** 'bench --home X replicat' would give X to bench, not to the subcommand: refuse rather than ignore it. */
    private static void refuseOptionsBefore(CommandSpec spec, String sub) {
        var parent = spec.parent().commandLine().getParseResult();
        if (!parent.matchedOptions().isEmpty()) {
            throw new ParameterException(spec.commandLine(), "options of bench " + sub + " go after '" + sub + "', not before: "
                    + parent.matchedOptions().get(0).longestName());
        }
    }
}
