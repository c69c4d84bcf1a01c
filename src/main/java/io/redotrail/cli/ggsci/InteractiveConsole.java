package io.redotrail.cli.ggsci;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.history.DefaultHistory;
import io.redotrail.control.credentials.CredentialStore;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.nio.file.Path;
import java.time.Instant;

/**
 * GGSCI's interactive prompt on a terminal: {@code GGSCI (host) 1> } with line editing and a history kept across
 * sessions in the home's {@code .ggsci_history} (JLine; its event expansion gives {@code !!}, {@code !n},
 * {@code !prefix}; {@code !} alone repeats the previous command, as in GGSCI). EXIT, QUIT or end of input (Ctrl-D) leave; Ctrl-C drops the line
 * being typed. Exit code 1 when any command of the session failed. Used by one thread.
 * <p>
 * A password never reaches the history (in memory or the file) nor the screen: {@link MaskingHistory} keeps
 * {@code PASSWORD ********} instead, {@code !} echoes the previous command masked (and runs it as typed, kept in
 * memory only), and a password left out of ALTER CREDENTIALSTORE is read without echo.
 */
final class InteractiveConsole {
    private final Ggsci session;
    private final Path history;
    /** The last command run, as typed (its password too): what {@code !} runs again. Memory only. */
    private String last;

    InteractiveConsole(Ggsci session, Path home) {
        this.session = session;
        this.history = home.resolve(".ggsci_history");
    }

    /** JLine's history with every {@code PASSWORD x} masked before it is kept (and appended to the file). */
    static final class MaskingHistory extends DefaultHistory {
        @Override
        public void add(Instant time, String line) {
            super.add(time, CredentialStore.maskPasswords(line));
        }
    }

    /**
     * GGSCI's {@code !} alone: the command before it (echoed masked), or null when there is none. The first of a
     * session repeats the last command of the history file (already masked).
     */
    private String previous(LineReader reader) {
        String cmd = last;
        var h = reader.getHistory();
        for (int i = h.last() - 1; cmd == null && i >= h.first(); i--) {
            if (!h.get(i).trim().equals("!")) cmd = h.get(i);
        }
        if (cmd == null) {
            session.out().println("ERROR: no previous command.");
            return null;
        }
        session.out().println(CredentialStore.maskPasswords(cmd));
        return cmd;
    }

    int run() throws Exception {
        int rc = 0;
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            // a terminal that reports no size (a pty without one) would have the prompt cut to nothing
            if (terminal.getWidth() <= 0) terminal.setSize(new Size(120, 40));
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("GGSCI")
                    .history(new MaskingHistory()).variable(LineReader.HISTORY_FILE, history).build();
            // a password left out of a command: asked without echo by a reader with no history of its own
            LineReader secret = LineReaderBuilder.builder().terminal(terminal).appName("GGSCI").build();
            session.secrets(prompt -> {
                try {
                    return secret.readLine(prompt, (char) 0);
                } catch (UserInterruptException | EndOfFileException e) {
                    return null;
                }
            });
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
                last = line;
                rc = Math.max(rc, session.execute(line));
                session.out().println();
            }
            reader.getHistory().save();
        }
        return rc;
    }
}
