package io.redotrail.cli.ggsci;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.nio.file.Path;

/**
 * GGSCI's interactive prompt on a terminal: {@code GGSCI (host) 1> } with line editing and a history kept across
 * sessions in the home's {@code .ggsci_history} (JLine; its event expansion gives {@code !!}, {@code !n},
 * {@code !prefix}; {@code !} alone repeats the previous command, as in GGSCI). EXIT, QUIT or end of input (Ctrl-D) leave; Ctrl-C drops the line
 * being typed. Exit code 1 when any command of the session failed. Used by one thread.
 */
final class InteractiveConsole {
    private final Ggsci session;
    private final Path history;

    InteractiveConsole(Ggsci session, Path home) {
        this.session = session;
        this.history = home.resolve(".ggsci_history");
    }

    /** GGSCI's {@code !} alone: the command before it (echoed), or null when there is none. */
    private String previous(LineReader reader) {
        var h = reader.getHistory();
        for (int i = h.last() - 1; i >= h.first(); i--) {
            String cmd = h.get(i);
            if (!cmd.trim().equals("!")) {
                session.out().println(cmd);
                return cmd;
            }
        }
        session.out().println("ERROR: no previous command.");
        return null;
    }

    int run() throws Exception {
        int rc = 0;
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            // a terminal that reports no size (a pty without one) would have the prompt cut to nothing
            if (terminal.getWidth() <= 0) terminal.setSize(new Size(120, 40));
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("GGSCI")
                    .variable(LineReader.HISTORY_FILE, history).build();
            session.out().println();
            session.out().println("Oracle GoldenGate Command Interpreter, redotrail (home " + session.home() + ")");
            session.out().println();
            while (true) {
                String line;
                try {
                    line = reader.readLine(session.prompt());
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                if (Ggsci.skipped(line)) continue;
                session.nextPrompt(); // a command: the next one gets the next number
                if (line.trim().equals("!")) line = previous(reader);
                if (line == null) continue;
                if (Ggsci.ends(line)) break;
                rc = Math.max(rc, session.execute(line));
                session.out().println();
            }
            reader.getHistory().save();
        }
        return rc;
    }
}
