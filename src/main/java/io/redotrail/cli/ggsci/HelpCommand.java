package io.redotrail.cli.ggsci;

/** {@code HELP}: the supported commands. */
final class HelpCommand implements GgsciCommand {
    private final CommandRegistry registry;

    HelpCommand(CommandRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String verb() {
        return "HELP";
    }

    @Override
    public String object() {
        return null;
    }

    @Override
    public String usage() {
        return "HELP";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) {
        ctx.out().println("GGSCI commands supported by redotrail:");
        registry.all().forEach(k -> ctx.out().println("  " + k.usage()));
        ctx.out().println("  EXIT | QUIT");
        return 0;
    }
}
