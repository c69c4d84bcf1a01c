package io.redotrail.cli.ggsci;

import io.redotrail.replicat.CheckpointTable;

import io.redotrail.core.Jdbc;
import io.redotrail.replicat.HeartbeatTables;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * {@code ADD CHECKPOINTTABLE [owner.table]}: creates the Replicat checkpoint table ({@link CheckpointTable}, and
 * its companion) in the database of the session's {@code DBLOGIN USERIDALIAS} ({@link DbLoginCommand}), as GGSCI
 * does; before any DBLOGIN, the configuration's target ({@code redotrail.target.jdbcUrl}, user, password). Without a name: {@code redotrail.replicat.checkpointTable}, else
 * {@link CheckpointTable#DEFAULT_NAME}. An existing table is left as it is and said to exist (its companion is created if missing).
 */
final class AddCheckpointTableCommand implements GgsciCommand {
    @Override
    public String verb() {
        return "ADD";
    }

    @Override
    public String object() {
        return "CHECKPOINTTABLE";
    }

    @Override
    public String usage() {
        return "ADD CHECKPOINTTABLE [owner.table]";
    }

    /** {@code owner.table} as a SQL name may be written without quotes. */
    static String requireTableName(String name) {
        if (!name.matches("[A-Za-z][A-Za-z0-9_$#]*\\.[A-Za-z][A-Za-z0-9_$#]*")) {
            throw new GgsciException("Invalid checkpoint table name '" + name + "': expected owner.table (letters, digits, _ $ #).");
        }
        return name.toUpperCase(Locale.ROOT);
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) throws SQLException {
        String name = requireTableName(c.groupAsTyped() != null ? c.groupAsTyped()
                : ctx.config("redotrail.replicat.checkpointTable", CheckpointTable.DEFAULT_NAME));
        String url = SessionDatabase.url(ctx, name);
        CheckpointTable table = new CheckpointTable(name, ctx.home().toString());
        boolean existed, loxExisted;
        try (Connection conn = SessionDatabase.connect(ctx, name)) {
            existed = HeartbeatTables.exists(conn, name);
            loxExisted = HeartbeatTables.exists(conn, table.loxName());
            table.create(conn);
        } catch (SQLException e) {
            throw new GgsciException("cannot create checkpoint table " + name + " in " + url + ": " + Jdbc.oneLine(e));
        }
        // an existing table is left as it is (it holds the Replicats' positions), and not said to be created
        ctx.out().println(!existed ? "Successfully created checkpoint table " + name + "."
                : "Checkpoint table " + name + " already exists" + (loxExisted ? "." : "; created its companion " + table.loxName() + "."));
        return 0;
    }
}
