package io.redotrail.cli.ggsci;

import io.redotrail.control.params.Wildcards;

import java.util.List;

/**
 * {@code INFO | LAG | STATS | SEND | STATUS ER group|pattern}: the command of each program (EXTRACT, then
 * REPLICAT) for the groups of that program the name or pattern matches, as if it had been given for that program
 * ({@code INFO *} and {@code LAG *} without EXTRACT|REPLICAT mean ER). Those commands expand wildcards themselves
 * and print one answer per group, an ERROR line for a group they cannot reach; exit 1 if any part failed.
 */
final class GroupsCommand implements GgsciCommand {
    private static final List<String> PROGRAMS = List.of("EXTRACT", "REPLICAT");
    private final String verb;
    private final CommandRegistry registry;

    GroupsCommand(String verb, CommandRegistry registry) {
        this.verb = verb;
        this.registry = registry;
    }

    @Override
    public String verb() {
        return verb;
    }

    @Override
    public String object() {
        return "ER";
    }

    @Override
    public String usage() {
        return verb + " ER <group|pattern>" + (verb.equals("SEND") ? ", <request>" : "");
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) throws Exception {
        if (c.group() == null) throw new GgsciException("usage: " + usage());
        Groups.named(ctx.home(), PROGRAMS, c.group()); // refuses a name or pattern that matches no group
        int rc = 0;
        for (String program : PROGRAMS) {
            boolean any = Wildcards.isPattern(c.group()) ? !Groups.find(ctx.home(), program, c.group()).isEmpty()
                    : program.equals(Groups.programOf(ctx.home(), c.group()));
            if (any) rc = Math.max(rc, registry.single(verb, program).execute(c.withObject(program), ctx));
        }
        return rc;
    }
}
