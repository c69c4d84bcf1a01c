package io.redotrail.cli;

import io.redotrail.cli.ggsci.Ggsci;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ggsci ["<GGSCI command>"]}: one GGSCI command (its words, quoted or not), or one per stdin line. */
@Command(name = "ggsci", description = {"GGSCI: add, delete, start, stop, kill, info, stats, lag, send, alter, view,",
        "edit params, obey (HELP lists them). No command: one per stdin line, or an interactive prompt on a terminal.",
        "e.g. \"add extract PUMHA, exttrailsource ./dirdat/ex\", \"start er *\", \"info all\", \"info extract EXT1, showch\"."})
final class GgsciCli implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(arity = "0..*", paramLabel = "COMMAND", description = "the GGSCI command (default: read stdin)")
    List<String> words = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        return Ggsci.run(common.settings(), words);
    }
}
