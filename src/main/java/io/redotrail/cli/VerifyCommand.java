package io.redotrail.cli;

import io.redotrail.pump.TablePatterns;
import io.redotrail.runtime.HomeSetup;
import io.redotrail.runtime.Settings;
import io.redotrail.sim.SourceSchema;
import io.redotrail.sim.TableDef;
import io.redotrail.verify.TableComparer;
import io.redotrail.verify.VerifyReport;

import java.io.PrintStream;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code verify}: per table counts and checksums of source and target; exit 1 on any difference. */
final class VerifyCommand implements Callable<Integer> {
    private final Settings settings;

    VerifyCommand(Settings settings, Args args) {
        args.allow("home", "config");
        this.settings = settings;
    }

    @Override
    public Integer call() throws SQLException {
        VerifyReport r = compare(settings);
        r.print(System.out);
        System.out.println(r.allEqual() ? "source and target are identical" : "SOURCE AND TARGET DIFFER");
        return r.allEqual() ? 0 : 1;
    }

    /** Compares the tables the pump selects (the ones that are supposed to arrive on the target). */
    static VerifyReport compare(Settings s) throws SQLException {
        List<String> tables = selectedTables(s);
        return new TableComparer(HomeSetup.sourceUrl(s), "sa", "", s.get("redotrail.target.jdbcUrl"),
                s.get("redotrail.target.user", ""), s.get("redotrail.target.password", "")).compare(tables);
    }

    /** The source tables the pump's TABLE patterns select; none is a configuration error (nothing to compare). */
    static List<String> selectedTables(Settings s) {
        TablePatterns selected = TablePatterns.parse(s.get("redotrail.pump.tables"));
        List<String> tables = SourceSchema.demo().tables().stream().map(TableDef::name).filter(selected::matches).toList();
        if (tables.isEmpty()) {
            // comparing nothing would report "identical"
            throw s.invalid("redotrail.pump.tables", "selects none of the source tables " + SourceSchema.demo().tables().stream().map(TableDef::name).toList());
        }
        return tables;
    }

    static void print(VerifyReport r, PrintStream out) {
        r.print(out);
    }
}
