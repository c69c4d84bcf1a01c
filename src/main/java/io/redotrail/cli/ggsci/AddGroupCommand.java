package io.redotrail.cli.ggsci;

import io.redotrail.core.TrailPosition;

import java.util.List;
import java.util.Map;

/**
 * What ADD EXTRACT and ADD REPLICAT share, read one way for both: the known options, the new group's name
 * (valid, not defined yet), the trail a group reads ({@code EXTTRAILSOURCE} / {@code EXTTRAIL}: a trail of the
 * home) and where in it ({@code EXTSEQNO n, EXTRBA m}, 0 / 0 by default). Immutable.
 */
abstract class AddGroupCommand implements GgsciCommand {
    private final String program;

    AddGroupCommand(String program) {
        this.program = program;
    }

    @Override
    public String verb() {
        return "ADD";
    }

    @Override
    public String object() {
        return program;
    }

    /**
     * Checks the options against {@code known} (option → argument count, -1 any) and returns the new group's name.
     *
     * @throws GgsciException for an unknown option, an invalid name or a group that exists already
     */
    String newGroup(ParsedCommand c, GgsciContext ctx, Map<String, Integer> known) {
        c.requireKnownOptions("ADD " + program, known);
        String g = Groups.requireValidName(program, c.group());
        String existing = Groups.programOf(ctx.home(), g);
        if (existing != null) throw new GgsciException(existing + " " + g + " already exists.");
        return g;
    }

    /** The trail {@code option} names ({@code EXTTRAIL ./dirdat/ha}) as a home trail; null when the option is absent. */
    static String trail(ParsedCommand c, GgsciContext ctx, String option) {
        List<String> o = c.option(option);
        if (o == null) return null;
        if (o.size() != 2) throw new GgsciException(option + " needs one trail name, e.g. " + option + " ./dirdat/ex");
        return Groups.homeTrail(ctx.home(), o.get(1));
    }

    /** {@code EXTSEQNO n, EXTRBA m}: where in its trail the group starts (sequence 0, RBA 0 unless given). */
    static TrailPosition extPosition(ParsedCommand c) {
        return new TrailPosition(Options.number(c, "EXTSEQNO", 0), Options.number(c, "EXTRBA", 0));
    }
}
