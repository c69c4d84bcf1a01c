package io.redotrail.cli;

import io.redotrail.scenario.ScenarioCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code scenario FILE [--home DIR] [--config FILE] [--keep]}: parses the line; {@link ScenarioCommand} runs it. */
@Command(name = "scenario", description = {"Run a scenario script (docs/scenarios.md) step by step; a fresh temporary home "
        + "without --home, deleted after a passing run unless --keep.", "Exit 0 when every step passed, 1 when one failed."})
final class ScenarioCli implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "FILE", description = "the scenario script")
    Path script;

    @Option(names = "--keep", description = "keep the temporary home of a passing run")
    boolean keep;

    @Override
    public Integer call() {
        return ScenarioCommand.run(script, common.home, common.config, common.set, keep);
    }
}
