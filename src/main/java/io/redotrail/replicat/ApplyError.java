package io.redotrail.replicat;

import java.sql.SQLException;

/**
 * One operation could not be applied. {@code kind} is the symbolic REPERROR error (NOTFOUND, DUPLICATE,
 * UNMAPPED, NOTABLE, MAPPING) or null for other database errors; {@code sqlError} the database's exception,
 * if any; {@code sql} the statement text, if one was built.
 */
final class ApplyError extends ReplicatException {
    final String kind;
    final transient SQLException sqlError;
    final String sql;

    ApplyError(String kind, String message, SQLException sqlError, String sql) {
        super(message, sqlError);
        this.kind = kind;
        this.sqlError = sqlError;
        this.sql = sql;
    }
}
