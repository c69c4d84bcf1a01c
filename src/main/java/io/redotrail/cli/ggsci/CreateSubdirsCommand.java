package io.redotrail.cli.ggsci;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code CREATE SUBDIRS}: the home's folders, with GGSCI's output "Creating subdirectories under current directory
 * ..." said of the home (GGSCI works in its installation directory; ours in {@code --home}). GoldenGate's folders
 * the home uses (dirprm, dirrpt, dirchk, dirdat, dirtmp, dircrd, dirwlt), then redotrail's own (redo, arch, db, BR:
 * the simulated source's redo and archives, the H2 databases, Bounded Recovery). A folder that exists is left as
 * it is ("already exists"). Idempotent.
 */
final class CreateSubdirsCommand implements GgsciCommand {
    /** {description, folder}, in GGSCI's order and words; the last four are ours. */
    static final List<String[]> DIRS = List.of(
            new String[]{"Parameter files", "dirprm"},
            new String[]{"Report files", "dirrpt"},
            new String[]{"Checkpoint files", "dirchk"},
            new String[]{"Extract data files", "dirdat"},
            new String[]{"Temporary files", "dirtmp"},
            new String[]{"Credential store files", "dircrd"},
            new String[]{"Masterkey wallet files", "dirwlt"},
            new String[]{"Redo logs (redotrail)", "redo"},
            new String[]{"Archived logs (redotrail)", "arch"},
            new String[]{"Databases (redotrail)", "db"},
            new String[]{"Bounded Recovery (redotrail)", "BR"});

    @Override
    public String verb() {
        return "CREATE";
    }

    @Override
    public String object() {
        return null;
    }

    @Override
    public String usage() {
        return "CREATE SUBDIRS";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) throws Exception {
        if (!"SUBDIRS".equals(c.group()) || !c.options().isEmpty()) throw new GgsciException("usage: " + usage());
        Path home = ctx.home().toAbsolutePath().normalize();
        ctx.out().println();
        ctx.out().println("Creating subdirectories under home directory " + home);
        ctx.out().println();
        for (String[] d : DIRS) {
            Path dir = home.resolve(d[1]);
            boolean existed = Files.isDirectory(dir);
            Files.createDirectories(dir);
            ctx.out().printf("%-31s%s: %s%n", d[0], dir, existed ? "already exists" : "created");
        }
        ctx.out().println();
        return 0;
    }
}
