package io.redotrail.cli;

import io.redotrail.runtime.Settings;
import io.redotrail.runtime.HomeSetup;

import io.redotrail.core.Jdbc;
import io.redotrail.pump.TablePatterns;
import io.redotrail.sim.SourceDatabase;
import io.redotrail.replicat.TargetCreate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code target create}: a target's schemas and tables from the source's ({@link TargetCreate}). */
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
        public Integer call() throws SQLException {
            Settings s = common.settings();
            if (!Files.exists(s.home().resolve("db").resolve("source.mv.db"))) {
                HomeSetup.prepareHome(s); // a fresh home: the source schema first, as run and demo make it
            }
            String url = target.url(s);
            TablePatterns selected = TablePatterns.parse(s.get("redotrail.pump.tables"));
            try (Connection src = Jdbc.connect(SourceDatabase.jdbcUrl(s.home()), "sa", "");
                 Connection tgt = connect(s, url)) {
                List<String> tables = TargetCreate.tables(src).stream().filter(selected::matches).toList();
                if (tables.isEmpty()) {
                    throw s.invalid("redotrail.pump.tables", "selects none of the source tables " + TargetCreate.tables(src));
                }
                System.out.println("Target: " + url);
                for (TargetCreate.Outcome o : TargetCreate.create(src, tgt, tables, target.mapper(s))) System.out.println("  " + o);
            }
            return 0;
        }

        private Connection connect(Settings s, String url) {
            try {
                return Jdbc.connect(url, target.user(s), target.password(s));
            } catch (SQLException e) {
                throw new Settings.ConfigException("cannot connect to target database " + url + ": " + e.getMessage());
            }
        }
    }
}
