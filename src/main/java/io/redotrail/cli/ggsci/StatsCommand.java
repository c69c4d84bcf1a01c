package io.redotrail.cli.ggsci;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code STATS EXTRACT | REPLICAT group [, TOTAL | LATEST | DAILY | HOURLY] [, TABLE pattern] [, REPORTRATE SEC|MIN|HR]
 * [, RESET]}: checks the options, then forwards {@code STATS [words...]} to the running group's control channel
 * ({@link GroupChannel}); the group computes and words the statistics (contract 5).
 */
final class StatsCommand implements GgsciCommand {
    private static final Set<String> FLAGS = Set.of("TOTAL", "LATEST", "DAILY", "HOURLY", "RESET");
    private final String program;

    StatsCommand(String program) {
        this.program = program;
    }

    @Override
    public String verb() {
        return "STATS";
    }

    @Override
    public String object() {
        return program;
    }

    @Override
    public String usage() {
        return "STATS " + program + " <group|pattern> [, TOTAL | LATEST | DAILY | HOURLY] [, TABLE <pattern>] [, REPORTRATE SEC|MIN|HR] [, RESET]";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) throws Exception {
        if (c.group() == null) throw new GgsciException("usage: " + usage());
        List<String> words = c.words();
        List<String> request = new ArrayList<>(List.of("STATS"));
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i).toUpperCase(Locale.ROOT);
            if (FLAGS.contains(w)) {
                request.add(w);
            } else if (w.equals("TABLE") && i + 1 < words.size()) {
                request.add(w);
                request.add(words.get(++i)); // the pattern as typed: the group matches it as GoldenGate does
            } else if (w.equals("REPORTRATE") && i + 1 < words.size()
                    && Set.of("SEC", "MIN", "HR").contains(words.get(i + 1).toUpperCase(Locale.ROOT))) {
                request.add(w);
                request.add(words.get(++i).toUpperCase(Locale.ROOT));
            } else {
                throw new GgsciException("Invalid STATS option '" + words.get(i) + "'; usage: " + usage());
            }
        }
        return GroupChannel.forward(ctx, program, c.group(), "STATS", String.join(" ", request));
    }
}
