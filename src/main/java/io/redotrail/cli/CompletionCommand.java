package io.redotrail.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code completion}: the bash completion script of every command and option, {@code source <(bin/redotrail completion)}. */
@Command(name = "completion", description = "Print a bash completion script: source <(bin/redotrail completion)")
final class CompletionCommand implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this usage and exit")
    boolean help;

    @Override
    public Integer call() {
        System.out.print(AutoComplete.bash("redotrail", Main.commandLine()));
        return 0;
    }
}
