package io.redotrail.cli.ggsci;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code VIEW PARAMS group | MGR}: prints {@code dirprm/<group>.prm} as it is. */
final class ViewParamsCommand implements GgsciCommand {
    @Override
    public String verb() {
        return "VIEW";
    }

    @Override
    public String object() {
        return "PARAMS";
    }

    @Override
    public String usage() {
        return "VIEW PARAMS <group | MGR>";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) throws Exception {
        if (c.group() == null) throw new GgsciException("usage: " + usage());
        Path f = io.redotrail.control.params.GroupParams.fileOf(ctx.home(), c.group());
        if (!Files.exists(f)) throw new GgsciException("Parameter file " + f + " does not exist.");
        ctx.out().println();
        ctx.out().print(Files.readString(f, StandardCharsets.UTF_8));
        ctx.out().println();
        return 0;
    }
}
