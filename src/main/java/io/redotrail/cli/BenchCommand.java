package io.redotrail.cli;

import io.redotrail.bench.LinkBench;
import io.redotrail.bench.PipelineBench;
import io.redotrail.bench.RecoveryBench;
import io.redotrail.bench.ReplicatBench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code bench [--recovery]} and {@code bench replicat}: the benchmarks of {@code io.redotrail.bench}, each in a
 * scratch home it wipes first (only one bench made, see {@code BenchHome.wipe}), each writing its section of
 * {@code docs/performance.md}.
 */
@Command(name = "bench", description = {"Measure extract, pump, replicat and end-to-end rates in a scratch home "
        + "(default: the home's name + -bench, wiped first) and write docs/performance.md.",
        "--recovery: extract restart time after kill -9 with a 10-hour-old open transaction, Bounded Recovery on and off.",
        "bench replicat: the Replicat's apply rate against a plain batch insert (see 'bench replicat --help').",
        "bench link: the pump-collector link's throughput, plain, COMPRESS and TLS (see 'bench link --help')."},
        subcommands = {BenchCommand.Replicat.class, BenchCommand.LinkCmd.class})
final class BenchCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--transactions", paramLabel = "N", description = "transactions (default: redotrail.bench.transactions; 300,000 with --recovery)")
    Integer transactions;

    @Option(names = "--seed", paramLabel = "S", description = "workload seed (default: redotrail.workload.seed)")
    Long seed;

    @Option(names = "--recovery", description = "measure extract restart after a crash instead")
    boolean recovery;

    @Option(names = "--output", paramLabel = "FILE", defaultValue = "docs/performance.md", description = "report file (default: ${DEFAULT-VALUE})")
    Path output;

    @Option(names = "--section", paramLabel = "NAME", defaultValue = "bench", description = "section of the report file to replace (default: ${DEFAULT-VALUE})")
    String section;

    @Option(names = "--title", paramLabel = "TEXT", defaultValue = "Latest `bin/redotrail bench` run", description = "the section's title")
    String title;

    @Override
    public Integer call() throws Exception {
        if (common.home == null) {
            // bench wipes its home: never the user's, a scratch one beside it unless --home says otherwise
            common.home = Path.of(common.settings().get("redotrail.home") + "-bench").toAbsolutePath();
        }
        if (recovery) RecoveryBench.report(common.settings(), transactions, output, System.out);
        else PipelineBench.run(common.settings(), transactions, seed, new PipelineBench.Report(output, section, title), System.out);
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

        @Option(names = "--pg", paramLabel = "URL", description = "PostgreSQL server URL, a database name is appended (default: jdbc:postgresql://127.0.0.1:5432/)")
        String pg;

        @Option(names = "--pg-user", paramLabel = "U", defaultValue = "postgres", description = "PostgreSQL user (default: ${DEFAULT-VALUE})")
        String pgUser;

        @Option(names = "--no-pg", description = "H2 only")
        boolean noPg;

        @Option(names = "--output", paramLabel = "FILE", defaultValue = "docs/performance.md", description = "report file (default: ${DEFAULT-VALUE})")
        Path output;

        @Override
        public Integer call() throws Exception {
            refuseOptionsBefore(spec, "replicat");
            if (noPg && pg != null) throw new ParameterException(spec.commandLine(), "--pg and --no-pg exclude each other");
            if (transactions < 1 || repeat < 1) {
                throw new ParameterException(spec.commandLine(), "--transactions and --repeat must be at least 1");
            }
            if (common.home == null) common.home = Path.of("target/replicat-bench").toAbsolutePath();
            String server = noPg ? null : pg != null ? pg : "jdbc:postgresql://127.0.0.1:5432/";
            ReplicatBench.run(common.settings(), new ReplicatBench.Options(transactions, repeat, server, pgUser, output), System.out);
            return 0;
        }
    }

    @Command(name = "link", description = {"Measure the pump-collector link's throughput over loopback TCP: plain, COMPRESS"
            + " (LZ4, zstd), TLS 1.3 with and without COMPRESS, on the trail records of a played workload, in a scratch home"
            + " (default: target/link-bench, wiped first), and write its section of docs/performance.md."})
    static final class LinkCmd implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--transactions", paramLabel = "N", defaultValue = "20000", description = "source transactions (default: ${DEFAULT-VALUE})")
        int transactions;

        @Option(names = "--repeat", paramLabel = "R", defaultValue = "3", description = "runs per figure, the median reported (default: ${DEFAULT-VALUE})")
        int repeat;

        @Option(names = "--output", paramLabel = "FILE", defaultValue = "docs/performance.md", description = "report file (default: ${DEFAULT-VALUE})")
        Path output;

        @Override
        public Integer call() throws Exception {
            refuseOptionsBefore(spec, "link");
            if (transactions < 1 || repeat < 1) throw new ParameterException(spec.commandLine(), "--transactions and --repeat must be at least 1");
            if (common.home == null) common.home = Path.of("target/link-bench").toAbsolutePath();
            LinkBench.run(common.settings(), new LinkBench.Options(transactions, repeat, output), System.out);
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
