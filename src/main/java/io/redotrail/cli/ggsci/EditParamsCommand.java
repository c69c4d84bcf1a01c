package io.redotrail.cli.ggsci;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code EDIT PARAMS group | MGR}: opens {@code dirprm/<group>.prm} in the user's editor ({@code $EDITOR}, its words
 * split on blanks, default {@code vi}), creating {@code dirprm/} first; the editor has this terminal (inherited
 * standard streams) and GGSCI waits for it. A non-zero editor exit is a failed command.
 */
final class EditParamsCommand implements GgsciCommand {
    @Override
    public String verb() {
        return "EDIT";
    }

    @Override
    public String object() {
        return "PARAMS";
    }

    @Override
    public String usage() {
        return "EDIT PARAMS <group | MGR>";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) throws Exception {
        if (c.group() == null) throw new GgsciException("usage: " + usage());
        Files.createDirectories(ctx.home().resolve("dirprm"));
        Path f = io.redotrail.control.params.GroupParams.fileOf(ctx.home(), c.group());
        String editor = System.getenv("EDITOR");
        if (editor == null || editor.isBlank()) editor = "vi";
        List<String> cmd = new ArrayList<>(Arrays.asList(editor.trim().split("\\s+")));
        cmd.add(f.toString());
        Process p;
        try {
            p = new ProcessBuilder(cmd).inheritIO().start();
        } catch (java.io.IOException e) {
            throw new GgsciException("cannot start editor '" + editor + "' ($EDITOR): " + e.getMessage());
        }
        int rc = p.waitFor();
        if (rc != 0) throw new GgsciException("editor '" + editor + "' exited with status " + rc + "; " + f + " may be unchanged.");
        return 0;
    }
}
