package io.redotrail.cli.ggsci;

import io.redotrail.control.params.Wildcards;

import io.redotrail.control.credentials.CredentialStore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The GGSCI commands, keyed by verb and object ({@code INFO EXTRACT}). Adding a command = one class + one
 * {@link #register} line in {@link #standard()}. When the object is left out ({@code INFO ext1},
 * {@code SEND ext1 showtrans}) it is taken from the group's files in dirchk/ (EXTRACT or REPLICAT).
 */
public final class CommandRegistry {
    private final Map<String, GgsciCommand> commands = new LinkedHashMap<>();

    public static CommandRegistry standard() {
        CommandRegistry r = new CommandRegistry();
        r.register(new AddExtractCommand());
        r.register(new AddTrailCommand("EXTTRAIL"));
        r.register(new AddTrailCommand("RMTTRAIL"));
        for (String verb : new String[]{"ALTER", "DELETE"}) {
            r.register(new TrailDefinitionCommand(verb, "EXTTRAIL"));
            r.register(new TrailDefinitionCommand(verb, "RMTTRAIL"));
        }
        r.register(new AddReplicatCommand());
        r.register(new AddCheckpointTableCommand());
        for (String verb : new String[]{"ADD", "ALTER", "DELETE", "INFO"}) r.register(new HeartbeatTableCommand(verb));
        r.register(new DeleteCommand("EXTRACT"));
        r.register(new DeleteCommand("REPLICAT"));
        r.register(new AlterExtractCommand());
        r.register(new AlterReplicatCommand());
        for (String object : new String[]{"EXTRACT", "REPLICAT", "ER"}) {
            r.register(new StartCommand(object));
            r.register(new StopCommand(object));
            r.register(new KillCommand(object));
        }
        r.register(new InfoAllCommand());
        r.register(new InfoMgrCommand());
        r.register(new InfoExtractCommand());
        r.register(new InfoReplicatCommand());
        r.register(new InfoTrailCommand("EXTTRAIL"));
        r.register(new InfoTrailCommand("RMTTRAIL"));
        for (String program : new String[]{"EXTRACT", "REPLICAT"}) {
            r.register(new StatsCommand(program));
            r.register(new LagCommand(program));
        }
        r.register(new SendExtractCommand());
        r.register(new SendReplicatCommand());
        for (String program : new String[]{"EXTRACT", "REPLICAT"}) r.register(new StatusCommand(program));
        for (String verb : EXPANDED) r.register(new GroupsCommand(verb, r));
        r.register(new ViewReportCommand());
        r.register(new AddCredentialStoreCommand());
        r.register(new AlterCredentialStoreCommand());
        r.register(new InfoCredentialStoreCommand());
        r.register(new ViewParamsCommand());
        r.register(new EditParamsCommand());
        r.register(new ViewGgsevtCommand());
        r.register(new CreateSubdirsCommand());
        r.register(new ShellCommand());
        r.register(new HelpCommand(r));
        return r;
    }

    /** Commands that also take ER ({@link GroupsCommand}): their EXTRACT and REPLICAT forms expand wildcards. */
    private static final List<String> EXPANDED = List.of("INFO", "LAG", "STATS", "SEND", "STATUS");

    /** The command of {@code verb} for one group of {@code program}. */
    GgsciCommand single(String verb, String program) {
        return commands.get(key(verb, program));
    }

    public void register(GgsciCommand c) {
        commands.put(key(c.verb(), c.object()), c);
    }

    public Collection<GgsciCommand> all() {
        return List.copyOf(commands.values());
    }

    private static String key(String verb, String object) {
        return object == null ? verb : verb + " " + object;
    }

    /** The command for {@code c} and the command with its object resolved; GgsciException when there is none. */
    public Resolved resolve(ParsedCommand c, GgsciContext ctx) {
        ParsedCommand pc = c;
        if (pc.object() == null && Wildcards.isPattern(pc.group()) && commands.containsKey(key(pc.verb(), "ER"))) {
            pc = pc.withObject("ER"); // START REP?: the Extracts and Replicats the wildcard matches
        } else if (pc.object() == null && pc.group() != null && hasVerbWithObjects(pc.verb())) {
            String program = Groups.programOf(ctx.home(), pc.group());
            if (program == null) {
                throw new GgsciException("Group " + pc.group() + " does not exist (no checkpoint file in "
                        + ctx.home().resolve("dirchk") + ").");
            }
            pc = pc.withObject(program);
        }
        GgsciCommand cmd = commands.get(key(pc.verb(), pc.object()));
        if (cmd == null && pc.object() == null) cmd = commands.get(pc.verb());
        if (cmd == null) {
            List<String> known = new ArrayList<>();
            commands.values().forEach(k -> known.add(k.usage()));
            throw new GgsciException("Invalid command: '" + CredentialStore.maskPasswords(c.raw()) + "'. Supported commands:\n  " + String.join("\n  ", known));
        }
        return new Resolved(cmd, pc);
    }

    private boolean hasVerbWithObjects(String verb) {
        return commands.values().stream().anyMatch(k -> k.verb().equals(verb) && k.object() != null);
    }

    public record Resolved(GgsciCommand command, ParsedCommand parsed) {
    }
}
