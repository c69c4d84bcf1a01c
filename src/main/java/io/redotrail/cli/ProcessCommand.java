package io.redotrail.cli;

import io.redotrail.control.group.GroupMain;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/**
 * {@code process GROUP [--atcsn N | --aftercsn N]}: runs one group (Extract, pump or Replicat, as its checkpoint
 * file defines it) in the foreground with its parameter file {@code dirprm/<group>.prm}, until SIGTERM; what the
 * Manager starts for {@code START <group>} ({@link GroupMain}). Exit 0 stopped, 1 abended, 2 refused to start.
 */
@Command(name = "process", description = {"Run ONE group (as dirchk/ defines it, with dirprm/<group>.prm) in the foreground until SIGTERM.",
        "What the Manager starts for START <group>. Exit 0 stopped, 1 abended, 2 refused to start (reason on stderr and in dirrpt/<GROUP>.rpt)."})
final class ProcessCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "GROUP", description = "the group, e.g. EXT1, PUMHA, REP1")
    String group;

    @ArgGroup(exclusive = true)
    Csn csn;

    static final class Csn {
        @Option(names = "--atcsn", paramLabel = "N", description = "Replicat: start at the transaction with this CSN (ATCSN)")
        Long atCsn;

        @Option(names = "--aftercsn", paramLabel = "N", description = "Replicat: start after the transaction with this CSN (AFTERCSN)")
        Long afterCsn;
    }

    @Override
    public Integer call() throws Exception {
        GroupMain.StartOptions start = csn == null ? GroupMain.StartOptions.NONE : new GroupMain.StartOptions(csn.atCsn, csn.afterCsn);
        return new GroupMain(common.settings(), group, System.err).run(start);
    }
}
