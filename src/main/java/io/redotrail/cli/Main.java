package io.redotrail.cli;

import io.redotrail.core.CorruptFileException;
import io.redotrail.runtime.ConfigCheck;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code bin/redotrail <command> [--home DIR]}. Exit codes: 0 success, 1 failure or difference found,
 * 2 bad usage or configuration, or a group already running in another process (nothing was started).
 */
public final class Main {
    private static final String USAGE = """
            usage: bin/redotrail <command> [--home DIR] [--config FILE]
              demo      [--transactions N] [--seed S]  generate a workload, replicate it, compare source and target
              simulate  [--transactions N] [--seed S]  add a workload to the source (may run while `run` runs)
              run       [--brreset]                    run extract, pump and replicat until stopped (SIGTERM);
                                                       --brreset ignores Bounded Recovery state for this start
              verify                                   compare source and target, per table counts and checksums
              bench     [--transactions N]             measure extract, replicat and end-to-end rates
              ggsci     ["<GGSCI command>"]            e.g. "info all", "info extract EXT1, showch",
                                                       "send extract EXT1, showtrans" (no argument: read stdin)
              scenario  FILE [--keep]                  run a scenario script (docs/scenarios.md); fresh temp home without --home
              archive   list [--thread T] | delete (--sequence N | --upto N) [--thread T]   list or delete archived redo logs
            """;

    private Main() {
    }

    public static void main(String[] argv) {
        System.exit(execute(argv));
    }

    public static int execute(String[] argv) {
        Args args = Args.parse(argv);
        try {
            return switch (args.command) {
                case "demo" -> new DemoCommand(settings(args), args).call();
                case "simulate" -> new SimulateCommand(settings(args), args).call();
                case "run" -> new RunCommand(settings(args), args).call();
                case "verify" -> new VerifyCommand(settings(args), args).call();
                case "bench" -> new BenchCommand(settings(args), args).call();
                case "ggsci" -> io.redotrail.cli.ggsci.Ggsci.run(settings(args), args.positional);
                case "scenario" -> io.redotrail.scenario.ScenarioCommand.run(argv);
                case "archive" -> new ArchiveCommand(settings(args), args).call();
                case "help", "--help", "-h" -> {
                    System.out.print(USAGE);
                    yield 0;
                }
                default -> {
                    System.err.print("unknown command '" + args.command + "'\n" + USAGE);
                    yield 2;
                }
            };
        } catch (Settings.ConfigException e) {
            System.err.println("redotrail: " + e.getMessage());
            return 2;
        } catch (CorruptFileException e) {
            System.err.println("redotrail: corrupt file " + e.getMessage());
            return 1;
        } catch (Exception e) {
            // Camel wraps our errors in its own; the user needs ours, once, without a stack trace
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof io.redotrail.report.GroupLock.AlreadyRunningException r) {
                    System.err.println("redotrail: " + args.command + " refused, nothing started: " + r.getMessage());
                    return 2;
                }
                if (t instanceof Settings.ConfigException c) {
                    System.err.println("redotrail: " + c.getMessage());
                    return 2;
                }
                if (t instanceof CorruptFileException c) {
                    System.err.println("redotrail: corrupt file " + c.getMessage());
                    return 1;
                }
            }
            System.err.println("redotrail: " + args.command + " failed: " + Pipeline.rootMessage(e));
            if (System.getenv("REDOTRAIL_DEBUG") != null) e.printStackTrace();
            else System.err.println("(set REDOTRAIL_DEBUG=1 for the stack trace)");
            return 1;
        }
    }

    static Settings settings(Args args) {
        Map<String, String> overrides = new HashMap<>();
        String home = args.options.get("home");
        if (home != null) overrides.put("redotrail.home", Path.of(home).toAbsolutePath().normalize().toString());
        Path config = Path.of(args.option("config", "config/application.properties"));
        Settings s = Settings.load(config, overrides, "--home");
        ConfigCheck.validate(s);
        return s;
    }
}
