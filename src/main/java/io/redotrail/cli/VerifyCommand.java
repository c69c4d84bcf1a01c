package io.redotrail.cli;

import io.redotrail.runtime.HomeSetup;
import io.redotrail.runtime.Settings;
import io.redotrail.runtime.TargetSetup;
import io.redotrail.replicat.mapping.Mapper;
import io.redotrail.verify.TableComparer;
import io.redotrail.verify.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code verify [--target URL [--user U] [--password P]] [--map 'MAP ...']}: per table counts and checksums of
 * the source and a target (default: the configured one), each source table compared with its target as the MAP
 * statements map it (default: redotrail.replicat.map); exit 1 on any difference.
 */
@Command(name = "verify", description = {"Compare source and target (safe while run runs): both JDBC URLs, per table counts "
        + "and checksums, the first difference; exit 1 on any difference (with --wait: still different after it).",
        "The tables the pump selects are compared with their targets as the MAP statements map them."})
final class VerifyCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    TargetOptions target;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "0",
            description = "compare again every second until identical, for at most SECONDS (groups still catching up)")
    int waitSeconds;

    @Override
    public Integer call() throws SQLException, InterruptedException {
        Settings s = common.settings();
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        VerifyReport r = compare(s, target.url(s), target.user(s), target.password(s), target.mapper(s));
        // the source holds still while replication catches up: the first identical comparison is the answer
        while (!r.allEqual() && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            r = compare(s, target.url(s), target.user(s), target.password(s), target.mapper(s));
        }
        r.print(System.out);
        System.out.println(r.allEqual() ? "source and target are identical" : "SOURCE AND TARGET DIFFER");
        return r.allEqual() ? 0 : 1;
    }

    /** Compares the tables the pump selects with the configured target, mapped by the configured MAP statements. */
    static VerifyReport compare(Settings s) throws SQLException {
        return compare(s, s.get("redotrail.target.jdbcUrl"), s.get("redotrail.target.user", ""),
                s.get("redotrail.target.password", ""), io.redotrail.runtime.TargetSetup.configuredMapper(s));
    }

    static VerifyReport compare(Settings s, String url, String user, String password, Mapper mapper) throws SQLException {
        return new TableComparer(HomeSetup.sourceUrl(s), "sa", "", url, user, password).compare(selectedTables(s), mapper);
    }

    /** The source tables the pump's TABLE patterns select ({@link TargetSetup#selectedTables}). */
    static List<String> selectedTables(Settings s) {
        return TargetSetup.selectedTables(s);
    }
}
