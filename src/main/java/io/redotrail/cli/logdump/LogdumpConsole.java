package io.redotrail.cli.logdump;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/** Logdump's interactive prompt {@code Logdump N >} on a terminal (JLine line editing). Used by one thread. */
public final class LogdumpConsole {
    private LogdumpConsole() {
    }

    /** On a terminal: the prompt, line editing (JLine); EXIT, QUIT or Ctrl-D leave. */
    public static int run(Path home, PrintStream out) throws IOException {
        int rc = 0;
        try (Logdump d = new Logdump(home, out);
             Terminal t = TerminalBuilder.builder().system(true).build()) {
            // a terminal that reports no size (a pty without one) would cut the prompt to nothing
            if (t.getWidth() <= 0) t.setSize(new Size(120, 40));
            LineReader reader = LineReaderBuilder.builder().terminal(t).appName("Logdump").build();
            while (true) {
                String line;
                try {
                    line = reader.readLine(d.prompt());
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                if (line.isBlank() || line.trim().startsWith("--")) continue;
                d.nextPrompt();
                if (Logdump.ends(line)) break;
                rc = Math.max(rc, d.execute(line));
            }
        }
        return rc;
    }
}
