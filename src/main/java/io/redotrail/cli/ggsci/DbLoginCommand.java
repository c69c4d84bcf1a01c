package io.redotrail.cli.ggsci;

import io.redotrail.control.credentials.CredentialStore;
import io.redotrail.core.Jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code DBLOGIN USERIDALIAS alias [DOMAIN domain]}: logs the GGSCI session into the database the alias names in
 * the home's credential store (checked by connecting), as GoldenGate does before ADD CHECKPOINTTABLE; the
 * session's database commands that name no group use it from then on (a Replicat's own commands use its
 * parameter file's USERIDALIAS, {@link ReplicatTargets}). Without DBLOGIN, the configuration's
 * {@code redotrail.target.*}. {@code USERID u, PASSWORD p} is refused (passwords belong in the credential store).
 * One per session, used by its one thread.
 */
final class DbLoginCommand implements GgsciCommand {
    private final Ggsci session;

    DbLoginCommand(Ggsci session) {
        this.session = session;
    }

    @Override
    public String verb() {
        return "DBLOGIN";
    }

    @Override
    public String object() {
        return null;
    }

    @Override
    public String usage() {
        return "DBLOGIN USERIDALIAS <alias> [DOMAIN <domain>]";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) {
        List<String> w = List.of(c.raw().trim().replace(",", " ").split("\\s+"));
        boolean ok = (w.size() == 3 || (w.size() == 5 && w.get(3).equalsIgnoreCase("DOMAIN")))
                && w.get(1).equalsIgnoreCase("USERIDALIAS");
        if (!ok) throw new GgsciException("usage: " + usage() + " (USERID / PASSWORD are not supported: add the login to the"
                + " credential store with ALTER CREDENTIALSTORE ADD USER ... ALIAS ...)");
        String domain = w.size() == 5 ? w.get(4) : CredentialStore.DEFAULT_DOMAIN;
        CredentialStore.Login login;
        try {
            login = CredentialStore.of(ctx.home()).login(domain, w.get(2));
        } catch (CredentialStore.CredentialException e) {
            throw new GgsciException(e.getMessage());
        }
        java.sql.DriverManager.setLoginTimeout(10);
        try (Connection conn = Jdbc.connect(login.jdbcUrl(), login.user(), login.password())) {
            conn.isValid(10);
        } catch (SQLException e) {
            throw new GgsciException("DBLOGIN USERIDALIAS " + w.get(2) + " failed: cannot connect to " + login.jdbcUrl() + " as "
                    + login.user() + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
        session.dbLogin(login);
        ctx.out().println("Successfully logged into database.");
        return 0;
    }
}
