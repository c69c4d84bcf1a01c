package io.redotrail.cli.ggsci;

/**
 * One GGSCI command ({@code INFO EXTRACT}, {@code SEND EXTRACT} ...). {@link #verb()} + {@link #object()} is
 * its key in the {@link CommandRegistry} (object null for commands without one, such as HELP).
 * {@link #execute} prints to the context's output and returns the exit code (0 ok, 1 error).
 */
public interface GgsciCommand {
    String verb();

    String object();

    /** One line for HELP. */
    String usage();

    int execute(ParsedCommand command, GgsciContext context) throws Exception;
}
