package io.redotrail.cli.logdump;

import io.redotrail.trail.TrailInspector;
import io.redotrail.trail.crypto.RecordOpener;
import io.redotrail.trail.crypto.TrailKeyException;
import io.redotrail.trail.crypto.TrailKeys;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code bin/redotrail logdump --home H [COMMAND]...}: GoldenGate's Logdump over the trail files of a home. Each
 * argument is one command; without arguments, one command per line of standard input (or an interactive prompt
 * {@code Logdump N >} on a terminal). Each command is echoed after its prompt, so the output reads as a session.
 * A command that fails (bad usage, a file that cannot be opened, a damaged record) prints {@code ERROR: ...} and
 * the session goes on; the exit code is then 1. Reading is {@link TrailInspector}'s: a damaged record is shown
 * with its file, seqno and RBA and why, and reading stays at it until SCANFORHEADER or POS moves past it.
 * One instance per session, used by one thread.
 */
public final class Logdump implements AutoCloseable {
    static final String HELP = """
            OPEN file                      open a trail file (relative to the home), e.g. open ./dirdat/ex000000000
            NEXTTRAIL                      open the next file of the same trail
            GHDR ON | OFF                  show the record header fields (Hdr-Ind, IOType, TransInd, AuditRBA ...)
            DETAIL ON | OFF | DATA         show the columns (ON) and their values (DATA)
            FILEHEADER ON | OFF | DETAIL   show the file header record
            NEXT [n] | N [n]               show the next (n) record(s)
            POS rba | FIRST | LAST | 0     read from an RBA, the first or the last record
            SCANFORHEADER | SFH            find the next valid record after the current position (past damage)
            SCANFORENDTRANS | SFET         skip to the end of the current transaction, show the next record
            COUNT [DETAIL]                 count the records of the file (per table with DETAIL)
            FILTER INCLUDE | EXCLUDE FILENAME owner.table | TRANSIND n
            FILTER CLEAR | SHOW
            ENCRYPT ON KEYNAME k | OFF     read encrypted records with key k of the home's key file
            HELP                           this list
            EXIT | QUIT                    leave""";

    private final Path home;
    private final PrintStream out;
    private final RecordPrinter printer;
    private final RecordFilter filter = new RecordFilter();
    private TrailInspector file;
    private long pos;
    private boolean ghdr;
    private RecordPrinter.Detail detail = RecordPrinter.Detail.OFF;
    private RecordPrinter.FileHeaderMode fileHeader = RecordPrinter.FileHeaderMode.OFF;
    private int number;
    /** ENCRYPT ON KEYNAME: the key file's opener and the key name; null when OFF. */
    private RecordOpener opener;
    private String keyName;

    public Logdump(Path home, PrintStream out) {
        this.home = home.toAbsolutePath().normalize();
        this.out = out;
        this.printer = new RecordPrinter(out);
    }

    /** Runs the commands of {@code words} (one each) or, when there are none, of {@code stdin}; the exit code. */
    public static int run(Path home, List<String> words, InputStream stdin, PrintStream out) throws IOException {
        try (Logdump d = new Logdump(home, out)) {
            if (!words.isEmpty()) return d.runAll(words);
            BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
            return d.runAll(in.lines().toList());
        }
    }

    private int runAll(List<String> lines) {
        int rc = 0;
        for (String line : lines) {
            if (line.isBlank() || line.trim().startsWith("--")) continue;
            out.println(nextPrompt() + line.trim());
            if (ends(line)) break;
            rc = Math.max(rc, execute(line));
        }
        return rc;
    }

    /** The prompt of the next command, its number used up: {@code Logdump 3 >}. */
    String nextPrompt() {
        String p = prompt();
        number++;
        return p;
    }

    /** The prompt for the next command, its number not used up (an empty line at the terminal keeps it). */
    String prompt() {
        return "Logdump " + (number + 1) + " >";
    }

    static boolean ends(String line) {
        String w = line.trim().toUpperCase(Locale.ROOT);
        return w.equals("EXIT") || w.equals("QUIT");
    }

    /** Runs one command; 0, or 1 after printing {@code ERROR: ...}. */
    public int execute(String line) {
        List<String> w = Arrays.asList(line.trim().split("\\s+"));
        String cmd = w.get(0).toUpperCase(Locale.ROOT);
        List<String> args = w.subList(1, w.size());
        try {
            return switch (cmd) {
                case "OPEN" -> open(args);
                case "NEXTTRAIL" -> nextTrail(args);
                case "GHDR" -> {
                    ghdr = onOff(cmd, args);
                    yield 0;
                }
                case "DETAIL" -> {
                    detail = RecordPrinter.Detail.valueOf(word(cmd, args, "ON", "OFF", "DATA"));
                    yield 0;
                }
                case "FILEHEADER", "FH" -> {
                    fileHeader = RecordPrinter.FileHeaderMode.valueOf(word(cmd, args, "ON", "OFF", "DETAIL"));
                    yield 0;
                }
                case "NEXT", "N" -> next(count(args));
                case "POS", "POSITION" -> position(args);
                case "SCANFORHEADER", "SFH" -> scanForHeader(args);
                case "SCANFORENDTRANS", "SFET" -> scanForEndTrans(args);
                case "COUNT" -> count(args, w);
                case "FILTER" -> {
                    filter.apply(args);
                    if (args.get(0).equalsIgnoreCase("SHOW")) {
                        out.println(filter.active() ? "Filters: " + String.join("; ", filter.describe()) : "No filter");
                    }
                    yield 0;
                }
                case "ENCRYPT" -> encrypt(args);
                case "HELP" -> {
                    out.println(HELP);
                    yield 0;
                }
                default -> throw new IllegalArgumentException("unknown command " + w.get(0) + " (HELP lists the commands)");
            };
        } catch (IllegalArgumentException | TrailKeyException e) {
            out.println("ERROR: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            // an I/O error reading the file: this command failed, the session goes on
            out.println("ERROR: " + e);
            return 1;
        }
    }

    private int open(List<String> args) {
        if (args.size() != 1) throw new IllegalArgumentException("usage: OPEN file, e.g. OPEN ./dirdat/ex000000000");
        return openFile(home.resolve(args.get(0)).normalize());
    }

    private int openFile(Path f) {
        TrailInspector opened;
        try {
            opened = TrailInspector.open(f);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cannot open " + f + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot open " + f + ": " + e);
        }
        close();
        file = opened;
        file.decryptWith(opener, keyName);
        pos = 0;
        out.println("Current LogTrail is " + file.file());
        return 0;
    }

    private int nextTrail(List<String> args) {
        noArgs("NEXTTRAIL", args);
        TrailInspector f = current();
        Path next = f.sibling(f.seqno() + 1);
        if (next == null) throw new IllegalArgumentException(f.file() + " is not named as a trail file (<pp><9 digits>): no next file");
        if (!Files.exists(next)) throw new IllegalArgumentException("no next trail file: " + next + " does not exist");
        return openFile(next);
    }

    private int next(int n) {
        TrailInspector f = current();
        for (int shown = 0; shown < n; ) {
            TrailInspector.Record r = f.read(pos);
            if (r.status() == TrailInspector.Status.END_OF_FILE) return endOfFile(f);
            if (!r.ok()) return damaged(r);
            pos = r.next();
            if (show(r)) shown++;
        }
        return 0;
    }

    /** Prints {@code r} unless the filter or FILEHEADER OFF hides it; whether it was shown. */
    private boolean show(TrailInspector.Record r) {
        if (!filter.passes(r)) return false;
        if (r.header() != null) {
            if (fileHeader == RecordPrinter.FileHeaderMode.OFF) return false;
            printer.header(r, fileHeader);
        } else if (r.fileEnd() != null) {
            printer.fileEnd(r);
        } else {
            printer.row(r, ghdr, detail);
        }
        out.println();
        return true;
    }

    private int endOfFile(TrailInspector f) {
        Path next = f.sibling(f.seqno() + 1);
        out.println("End of file " + f.file() + " at RBA " + pos
                + (next != null && Files.exists(next) ? "; the trail goes on in " + next.getFileName() + " (NEXTTRAIL opens it)" : ""));
        return 0;
    }

    /** A record that cannot be read: where and why; the position stays on it. */
    private int damaged(TrailInspector.Record r) {
        TrailInspector f = current();
        if (r.status() == TrailInspector.Status.KEY_FAILED) {
            out.println("ERROR: cannot decrypt the record at RBA " + r.rba() + ": " + r.problem());
            out.println("       ENCRYPT OFF shows its clear fields; SCANFORHEADER (SFH) or POS moves past it");
            return 1;
        }
        out.println("ERROR: bad record in " + f.file() + (f.seqno() >= 0 ? " (trail seqno " + f.seqno() + ")" : "")
                + " at RBA " + r.rba() + ": " + r.problem());
        out.println("       SCANFORHEADER (SFH) looks for the next valid record after it");
        return 1;
    }

    private int position(List<String> args) {
        if (args.size() != 1) throw new IllegalArgumentException("usage: POS rba | FIRST | LAST");
        TrailInspector f = current();
        String a = args.get(0).toUpperCase(Locale.ROOT);
        if (a.equals("FIRST")) {
            pos = 0;
        } else if (a.equals("LAST")) {
            // the last record that reads: walk the file (records have no back pointers), past damage as SFH does
            long last = 0;
            List<Long> damage = new ArrayList<>();
            TrailInspector.Record r = f.read(0);
            while (r.status() != TrailInspector.Status.END_OF_FILE) {
                if (r.ok() || r.status() == TrailInspector.Status.KEY_FAILED) {
                    last = r.rba();
                    r = f.read(r.next());
                } else {
                    damage.add(r.rba());
                    r = f.scanForHeader(r.rba());
                }
            }
            pos = last;
            if (!damage.isEmpty()) out.println("Passed damaged records at RBA " + damage + " (NEXT at them shows why)");
        } else {
            long rba;
            try {
                rba = Long.parseLong(a);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("POS takes an RBA, FIRST or LAST, not " + args.get(0));
            }
            if (rba < 0) throw new IllegalArgumentException("RBA must not be negative: " + rba);
            long size = f.size();
            if (rba > size) throw new IllegalArgumentException("RBA " + rba + " is past the end of " + f.file() + " (" + size + " bytes)");
            pos = rba;
        }
        out.println("Reading forward from RBA " + pos);
        return 0;
    }

    private int scanForHeader(List<String> args) {
        noArgs("SCANFORHEADER", args);
        TrailInspector f = current();
        TrailInspector.Record r = f.scanForHeader(pos);
        if (r.status() == TrailInspector.Status.END_OF_FILE) {
            out.println("Scan for header from RBA " + pos + ": no valid record up to the end of the file (RBA " + r.rba() + ")");
            pos = r.rba();
            return 0;
        }
        out.println("Scan for header from RBA " + pos + ": next valid record at RBA " + r.rba() + " (" + (r.rba() - pos) + " bytes on)");
        pos = r.rba();
        return next(1);
    }

    private int scanForEndTrans(List<String> args) {
        noArgs("SCANFORENDTRANS", args);
        TrailInspector f = current();
        while (true) {
            TrailInspector.Record r = f.read(pos);
            if (r.status() == TrailInspector.Status.END_OF_FILE) return endOfFile(f);
            if (!r.ok()) return damaged(r);
            pos = r.next();
            if (r.row() != null && (r.row().transInd() == 2 || r.row().transInd() == 3)) {
                out.println("End of transaction XID " + r.row().xid() + " CSN " + r.row().csn() + " at RBA " + r.rba()
                        + "; the next transaction starts at RBA " + pos);
                return next(1);
            }
        }
    }

    private int count(List<String> args, List<String> all) {
        boolean det = args.size() == 1 && args.get(0).equalsIgnoreCase("DETAIL");
        if (!args.isEmpty() && !det) throw new IllegalArgumentException("usage: COUNT [DETAIL]");
        TrailInspector f = current();
        RecordCount c = new RecordCount();
        TrailInspector.Record r = f.read(0);
        for (; r.ok(); r = f.read(r.next())) {
            if (r.row() != null && filter.passes(r)) c.add(r);
        }
        c.print(out, f.file().toString(), det);
        if (r.status() == TrailInspector.Status.END_OF_FILE) return 0;
        out.println("Counted up to RBA " + r.rba() + " only:");
        return damaged(r);
    }

    /**
     * ENCRYPT ON KEYNAME k: records encrypted under key k are decrypted with the home's key file (ENCKEYS); a
     * record under another key, or that k does not open, is shown as an error naming its RBA. OFF: sealed again.
     */
    private int encrypt(List<String> args) {
        String w = args.isEmpty() ? "" : args.get(0).toUpperCase(Locale.ROOT);
        if (w.equals("OFF") && args.size() == 1) {
            opener = null;
            keyName = null;
        } else if (w.equals("ON") && args.size() == 3 && args.get(1).equalsIgnoreCase("KEYNAME")) {
            TrailKeys keys = TrailKeys.load(TrailKeys.defaultFile(home));
            String k = args.get(2);
            if (!keys.contains(k)) {
                throw new IllegalArgumentException("OGG-06400 The key specified with KEYNAME is not present in the ENCKEYS file: key "
                        + k + " is not in key file " + keys.file() + " (keys: " + String.join(", ", keys.names()) + ")");
            }
            opener = new RecordOpener(keys);
            keyName = k;
        } else {
            throw new IllegalArgumentException("usage: ENCRYPT ON KEYNAME k | ENCRYPT OFF");
        }
        if (file != null) file.decryptWith(opener, keyName);
        return 0;
    }

    private TrailInspector current() {
        if (file == null) throw new IllegalArgumentException("no trail file open (OPEN file, e.g. OPEN ./dirdat/ex000000000)");
        return file;
    }

    private static int count(List<String> args) {
        if (args.isEmpty()) return 1;
        try {
            int n = Integer.parseInt(args.get(0));
            if (args.size() == 1 && n > 0) return n;
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("usage: NEXT [n], n a positive number");
    }

    private static boolean onOff(String cmd, List<String> args) {
        return word(cmd, args, "ON", "OFF").equals("ON");
    }

    private static String word(String cmd, List<String> args, String... allowed) {
        String a = args.size() == 1 ? args.get(0).toUpperCase(Locale.ROOT) : "";
        if (!List.of(allowed).contains(a)) throw new IllegalArgumentException("usage: " + cmd + " " + String.join(" | ", allowed));
        return a;
    }

    private static void noArgs(String cmd, List<String> args) {
        if (!args.isEmpty()) throw new IllegalArgumentException(cmd + " takes no arguments");
    }

    @Override
    public void close() {
        if (file != null) file.close();
        file = null;
    }

    Path home() {
        return home;
    }
}
