package io.redotrail.cli.ggsci;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code VIEW GGSEVT}: prints the home's event log {@code ggserr.log} (written by the Manager: starts, stops,
 * kills, abends, lag warnings). A home whose Manager never ran has none: said so, not an error.
 */
final class ViewGgsevtCommand implements GgsciCommand {
    @Override
    public String verb() {
        return "VIEW";
    }

    @Override
    public String object() {
        return "GGSEVT";
    }

    @Override
    public String usage() {
        return "VIEW GGSEVT";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) throws Exception {
        Path f = ctx.home().resolve("ggserr.log");
        if (!Files.exists(f)) {
            ctx.out().println("Event log " + f + " does not exist yet: the Manager writes it (bin/redotrail mgr --home "
                    + ctx.home() + ").");
            return 0;
        }
        ctx.out().print(Files.readString(f, StandardCharsets.UTF_8));
        return 0;
    }
}
