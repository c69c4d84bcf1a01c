package io.redotrail.cli;

import io.redotrail.cli.ggsci.Ggsci;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ggsci ["<GGSCI command>"]}: one GGSCI command (its words, quoted or not), or one per stdin line. */
@Command(name = "ggsci", description = {"GGSCI subset: info, view report, send, alter; no command: one per stdin line.",
        "e.g. \"info all\", \"info extract EXT1, showch\", \"view report EXT1\", \"send extract EXT1, showtrans\",",
        "\"alter extract EXT1, etrollover\"."})
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
