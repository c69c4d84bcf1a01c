package io.redotrail.control.group;

import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.control.credentials.CredentialStore;
import io.redotrail.control.params.GroupParams;
import io.redotrail.control.params.Param;
import io.redotrail.core.Jdbc;
import io.redotrail.replicat.CheckpointTable;
import io.redotrail.replicat.GroupKey;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;

/**
 * The one answer to "which checkpoint table, in which target database, does Replicat R use": the group process
 * ({@link GroupMain}) runs with it and GGSCI's DELETE / ALTER / INFO REPLICAT and ADD REPLICAT act on it, so a
 * row is never moved or deleted in a table the Replicat does not read. The table: the one its definition names
 * ({@code ADD REPLICAT r, ..., CHECKPOINTTABLE o.t}, kept in {@code dirchk/R.cpr}), else the configuration's
 * {@code redotrail.replicat.checkpointTable}, else {@link CheckpointTable#DEFAULT_NAME}. The login: the
 * {@code USERIDALIAS} of its parameter file {@code dirprm/r.prm} resolved in the home's credential store, else
 * (no parameter file or no USERIDALIAS) the configuration's {@code redotrail.target.*}. Immutable.
 */
public record ReplicatTarget(String checkpointTable, String jdbcUrl, String user, String password, String loginSource) {
    public static final String TABLE_KEY = "redotrail.replicat.checkpointTable";

    /**
     * Resolves it for {@code cp} (a Replicat's checkpoint) from the configuration {@code config} (key → value or
     * null). A parameter file that cannot be read, or an alias the store does not hold, is a ParamException naming
     * file and line, as the process would refuse to start.
     */
    public static ReplicatTarget of(Path home, String group, ProcessCheckpoint cp, Function<String, String> config) {
        GroupParams params = cp != null && Files.exists(GroupParams.fileOf(home, group)) ? GroupParams.read(home, group, cp) : null;
        return of(home, params, cp == null ? null : cp.checkpointTable(), config);
    }

    /** Resolves it from the group's read parameter file ({@code params}, null = none) and its definition's table. */
    public static ReplicatTarget of(Path home, GroupParams params, String definedTable, Function<String, String> config) {
        String table = definedTable != null ? definedTable : orElse(config.apply(TABLE_KEY), CheckpointTable.DEFAULT_NAME);
        CredentialStore.Login login = params == null ? null : login(home, params);
        if (login != null) {
            Param p = params.userIdAliasParam();
            return new ReplicatTarget(table, login.jdbcUrl(), login.user(), login.password(),
                    p.file() + " line " + p.line() + " (USERIDALIAS " + params.alias() + ")");
        }
        return new ReplicatTarget(table, config.apply("redotrail.target.jdbcUrl"), orElse(config.apply("redotrail.target.user"), ""),
                orElse(config.apply("redotrail.target.password"), ""), "the configuration's redotrail.target.*");
    }

    /** The parameter file's USERIDALIAS in the home's credential store (ParamException naming it if unknown); null without one. */
    public static CredentialStore.Login login(Path home, GroupParams params) {
        Param p = params.userIdAliasParam();
        if (p == null) return null;
        try {
            return CredentialStore.of(home).login(params.domain(), params.alias());
        } catch (CredentialStore.CredentialException e) {
            throw p.error(e.getMessage());
        }
    }

    /** A connection to the target (login timeout 10 s); refused clearly when no JDBC URL is known. */
    public Connection connect() throws SQLException {
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            throw new SQLException("no target database: redotrail.target.jdbcUrl is not set and no USERIDALIAS names one");
        }
        java.sql.DriverManager.setLoginTimeout(10);
        return Jdbc.connect(jdbcUrl, user, password);
    }

    /** The checkpoint table as the Replicat of {@code home} names it. */
    public CheckpointTable table(Path home) {
        return new CheckpointTable(checkpointTable, GroupKey.dirOf(home));
    }

    private static String orElse(String v, String def) {
        return v == null || v.isBlank() ? def : v;
    }
}
