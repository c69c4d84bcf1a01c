package io.redotrail.cli.ggsci;

import io.redotrail.control.credentials.CredentialStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code OBEY file}: runs the GGSCI commands of a file, one per line, each echoed after the numbered prompt as
 * GGSCI does; blank and {@code --} lines skipped; {@code EXIT} / {@code QUIT} end the file. A relative path is
 * relative to the home (GGSCI runs in it). OBEY inside an OBEY file is refused, GoldenGate's default (no
 * ALLOWNESTED). Exit code 1 when any of its commands failed; all run regardless.
 */
final class ObeyCommand implements GgsciCommand {
    private final Ggsci session;
    private boolean running;

    ObeyCommand(Ggsci session) {
        this.session = session;
    }

    @Override
    public String verb() {
        return "OBEY";
    }

    @Override
    public String object() {
        return null;
    }

    @Override
    public String usage() {
        return "OBEY <file>";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) throws Exception {
        if (c.groupAsTyped() == null) throw new GgsciException("usage: " + usage());
        if (running) throw new GgsciException("OBEY within an OBEY file is not allowed (GoldenGate's ALLOWNESTED is not supported).");
        Path f = ctx.home().resolve(c.raw().trim().substring(4).trim()).normalize();
        if (!Files.isRegularFile(f)) throw new GgsciException("OBEY file " + f + " does not exist.");
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        running = true;
        int rc = 0;
        try {
            for (String line : lines) {
                if (Ggsci.skipped(line)) continue;
                ctx.out().println(session.nextPrompt() + CredentialStore.maskPasswords(line.trim()));
                if (Ggsci.ends(line)) break;
                rc = Math.max(rc, session.execute(line));
            }
        } finally {
            running = false;
        }
        return rc;
    }
}
