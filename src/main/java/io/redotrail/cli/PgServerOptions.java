package io.redotrail.cli;

import picocli.CommandLine.Option;

/**
 * The PostgreSQL server a bench measures on, the same two options in {@code bench}, {@code bench replicat} and
 * {@code bench split}: each database it creates there is named by the bench and dropped after.
 */
final class PgServerOptions {
    @Option(names = "--pg", paramLabel = "URL", defaultValue = "jdbc:postgresql://127.0.0.1:5432/",
            description = "PostgreSQL server URL, a database name is appended (default: ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--pg-user", paramLabel = "U", defaultValue = "postgres", description = "PostgreSQL user (default: ${DEFAULT-VALUE})")
    String user;
}
