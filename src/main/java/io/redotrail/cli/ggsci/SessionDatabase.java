package io.redotrail.cli.ggsci;

import io.redotrail.control.credentials.CredentialStore;
import io.redotrail.core.Jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The database a GGSCI session's commands that name no group act on: the session's {@code DBLOGIN USERIDALIAS}
 * ({@link DbLoginCommand}), else the configuration's target ({@code redotrail.target.jdbcUrl}, user, password).
 * Stateless.
 */
final class SessionDatabase {
    private SessionDatabase() {
    }

    /** The session database's JDBC URL; a GgsciException naming {@code what} when there is none. */
    static String url(GgsciContext ctx, String what) {
        CredentialStore.Login login = ctx.dbLogin();
        String url = login != null ? login.jdbcUrl() : ctx.config("redotrail.target.jdbcUrl", null);
        if (url == null || url.isBlank()) {
            throw new GgsciException("redotrail.target.jdbcUrl is not set: no target database to create " + what
                    + " in (DBLOGIN USERIDALIAS <alias> names one).");
        }
        return url;
    }

    /** A new connection to the session database (the caller closes it). */
    static Connection connect(GgsciContext ctx, String what) throws SQLException {
        String url = url(ctx, what);
        CredentialStore.Login login = ctx.dbLogin();
        DriverManager.setLoginTimeout(10);
        return login != null ? Jdbc.connect(url, login.user(), login.password())
                : Jdbc.connect(url, ctx.config("redotrail.target.user", ""), ctx.config("redotrail.target.password", ""));
    }
}
