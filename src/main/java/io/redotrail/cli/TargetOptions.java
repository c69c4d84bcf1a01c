package io.redotrail.cli;

import io.redotrail.runtime.Settings;
import io.redotrail.runtime.TargetSetup;

import io.redotrail.replicat.mapping.MapSyntaxException;
import io.redotrail.replicat.mapping.Mapper;
import picocli.CommandLine.Option;

/**
 * {@code --target URL [--user U] [--password P] [--map 'MAP ...; MAP ...']} of {@code verify} and {@code target
 * create}. Without {@code --target}, the configured target ({@code redotrail.target.*}); with it, the credentials
 * are the options' (default empty: the URL's own), never the configured target's. Without {@code --map}, the
 * configured {@code redotrail.replicat.map} (empty = every table under its own name).
 */
final class TargetOptions {
    @Option(names = "--target", paramLabel = "URL", description = "target JDBC URL (default: redotrail.target.jdbcUrl)")
    String url;

    @Option(names = "--user", paramLabel = "U", description = "target user (default: redotrail.target.user without --target, else none)")
    String user;

    @Option(names = "--password", paramLabel = "P", description = "target password (default: redotrail.target.password without --target, else none)")
    String password;

    @Option(names = "--map", paramLabel = "'MAP ...'", description = "MAP statements, ';'-separated (default: redotrail.replicat.map)")
    String map;

    String url(Settings s) {
        return url != null ? url : s.get("redotrail.target.jdbcUrl");
    }

    String user(Settings s) {
        return user != null ? user : url != null ? "" : s.get("redotrail.target.user", "");
    }

    String password(Settings s) {
        return password != null ? password : url != null ? "" : s.get("redotrail.target.password", "");
    }

    Mapper mapper(Settings s) {
        if (map == null) return TargetSetup.configuredMapper(s);
        try {
            return map.isBlank() ? new Mapper(java.util.List.of()) : Mapper.parse(map);
        } catch (MapSyntaxException e) {
            throw new Settings.ConfigException("--map: " + e.getMessage());
        }
    }
}
