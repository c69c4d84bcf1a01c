package io.redotrail.runtime;

import io.redotrail.core.Jdbc;
import io.redotrail.pump.TablePatterns;
import io.redotrail.replicat.TargetCreate;
import io.redotrail.replicat.mapping.Mapper;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code target create}: a target's schemas and tables from the source's, for the tables the pump selects
 * ({@code redotrail.pump.tables}), as MAP statements map them ({@link TargetCreate}). One implementation for
 * {@code bin/redotrail target create}, the scenario line {@code target create} and the test kit. Stateless.
 */
public final class TargetSetup {
    private TargetSetup() {
    }

    /** {@code redotrail.replicat.map} (empty = every table under its own name; ConfigCheck validated it). */
    public static Mapper configuredMapper(Settings s) {
        String m = s.get("redotrail.replicat.map", "");
        return m.isBlank() ? new Mapper(List.of()) : Mapper.parse(m);
    }

    /** The configured target ({@code redotrail.target.*}) with the configured MAP; one line per source table. */
    public static List<String> createConfigured(Settings s) {
        List<String> out = new ArrayList<>();
        String url = s.get("redotrail.target.jdbcUrl");
        out.add("Target: " + url);
        for (TargetCreate.Outcome o : create(s, url, s.get("redotrail.target.user", ""), s.get("redotrail.target.password", ""),
                configuredMapper(s))) {
            out.add("  " + o);
        }
        return out;
    }

    /**
     * Creates on {@code url} the target of every source table the pump selects that does not exist there yet.
     * A fresh home gets its source schema first, as {@code run} makes it. An unreachable target is a
     * ConfigException (naming the URL); a table the target refuses is an IllegalStateException naming it.
     */
    public static List<TargetCreate.Outcome> create(Settings s, String url, String user, String password, Mapper mapper) {
        if (!Files.exists(s.home().resolve("db").resolve("source.mv.db"))) HomeSetup.prepareHome(s);
        TablePatterns selected = TablePatterns.parse(s.get("redotrail.pump.tables"));
        try (Connection src = Jdbc.connect(HomeSetup.sourceUrl(s), "sa", "")) {
            List<String> tables = TargetCreate.tables(src).stream().filter(selected::matches).toList();
            if (tables.isEmpty()) {
                throw s.invalid("redotrail.pump.tables", "selects none of the source tables " + TargetCreate.tables(src));
            }
            Connection tgt;
            try {
                tgt = Jdbc.connect(url, user, password);
            } catch (SQLException e) {
                throw new Settings.ConfigException("cannot connect to target database " + url + ": " + e.getMessage());
            }
            try (tgt) {
                return TargetCreate.create(src, tgt, tables, mapper);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the target's tables on " + url + ": " + e.getMessage(), e);
        }
    }
}
