package io.redotrail.cli;

import io.redotrail.cli.logdump.Logdump;
import io.redotrail.cli.logdump.LogdumpConsole;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code logdump ["<command>"]...}: GoldenGate's Logdump over the home's trail files, one command per argument or stdin line. */
@Command(name = "logdump", description = {"Logdump: show the records of a trail file (OPEN, GHDR, DETAIL, NEXT, POS, SCANFORHEADER,",
        "COUNT, FILTER ...; HELP lists them). One command per argument; none: one per stdin line, or a prompt on a terminal.",
        "e.g. \"open ./dirdat/ex000000000\" \"ghdr on\" \"detail data\" next count"})
final class LogdumpCli implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(arity = "0..*", paramLabel = "COMMAND", description = "Logdump commands, one per argument (default: read stdin)")
    List<String> commands = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Path home = common.settings().home();
        if (commands.isEmpty() && System.console() != null) return LogdumpConsole.run(home, System.out);
        return Logdump.run(home, commands, System.in, System.out);
    }
}
