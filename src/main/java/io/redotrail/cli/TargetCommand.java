package io.redotrail.cli;

import io.redotrail.replicat.TargetCreate;
import io.redotrail.runtime.Settings;
import io.redotrail.runtime.TargetSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code target create}: a target's schemas and tables from the source's ({@link TargetSetup}, which the scenario
 * line {@code target create} and the test kit run too).
 */
@Command(name = "target", description = "Prepare a target database.", subcommands = TargetCommand.Create.class)
final class TargetCommand implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this usage and exit")
    boolean help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "target needs a subcommand: create");
    }

    @Command(name = "create", description = {"Create the target's schemas and tables from the source's (the tables the pump "
            + "selects), as the MAP statements map them: target names, COLMAP columns, KEYCOLS as the primary key.",
            "A table that exists is left as it is and reported."})
    static final class Create implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        TargetOptions target;

        @Override
        public Integer call() {
            Settings s = common.settings();
            String url = target.url(s);
            List<TargetCreate.Outcome> outcomes = TargetSetup.create(s, url, target.user(s), target.password(s), target.mapper(s));
            System.out.println("Target: " + url);
            for (TargetCreate.Outcome o : outcomes) System.out.println("  " + o);
            return 0;
        }
    }
}
