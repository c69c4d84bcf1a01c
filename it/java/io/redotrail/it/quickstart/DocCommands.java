package io.redotrail.it.quickstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command lines and snippets of README.md and docs/*.md, parsed from their fenced code blocks so that the
 * quick-start test runs exactly what a reader copies. A block is a shell block when one of its lines starts
 * (after {@code VAR=value} assignments) with one of {@link #SHELL_COMMANDS}; other blocks (layout listings,
 * properties, scenario syntax) are not commands.
 */
final class DocCommands {
    static final Set<String> SHELL_COMMANDS = Set.of("bin/redotrail", "mvn", "psql", "source");
    private static final Pattern ASSIGNMENTS = Pattern.compile("^(\\w+=(\"[^\"]*\"|'[^']*'|\\S*)\\s+)*");
    private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"|'[^']*'");
    private static final Pattern PLACEHOLDER = Pattern.compile("(?<=\\s)[A-Z]+(?=\\s|$)");
    private static final Pattern OPTIONAL = Pattern.compile("\\s*\\[[^]]*]");

    /** A fenced block: the file, the line of its first content line, its language tag, its lines unindented. */
    record Block(Path file, int line, String lang, List<String> lines) {
        String where() {
            return file.getFileName() + ":" + line;
        }

        String text() {
            return String.join("\n", lines) + "\n";
        }
    }

    /**
     * One logical command line of a shell block: {@code text} as written (continuations joined, comment kept
     * for bash to drop), {@code key} without the comment and with single spaces (what exclusions name),
     * {@code runnable} the form to run: the text itself, or with its {@code [optional]} parts dropped; null when
     * it still has placeholders (N, FILE, DIR) after that.
     */
    record Command(Block block, int line, String text, String key, String runnable) {
        String where() {
            return block.file().getFileName() + ":" + line;
        }
    }

    private DocCommands() {
    }

    static List<Block> blocks(Path md) throws IOException {
        List<String> lines = Files.readAllLines(md);
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String fence = lines.get(i);
            if (!fence.strip().startsWith("```")) continue;
            int indent = fence.length() - fence.stripLeading().length();
            List<String> body = new ArrayList<>();
            int j = i + 1;
            for (; j < lines.size() && !lines.get(j).strip().startsWith("```"); j++) {
                String l = lines.get(j);
                body.add(l.length() >= indent && l.substring(0, indent).isBlank() ? l.substring(indent) : l.stripLeading());
            }
            if (j == lines.size()) throw new IllegalStateException(md + ":" + (i + 1) + ": code block never closed");
            out.add(new Block(md, i + 2, fence.strip().substring(3).strip(), body));
            i = j;
        }
        return out;
    }

    /** The logical lines of a shell block (empty for other blocks): continuations joined, comments and blanks left out. */
    static List<Command> commands(Block b) {
        if (!b.lang().isEmpty() && !Set.of("sh", "bash", "shell").contains(b.lang())) return List.of();
        Map<Integer, String> logical = new LinkedHashMap<>(); // by the line it starts on
        StringBuilder cur = new StringBuilder();
        int start = 0;
        for (int i = 0; i < b.lines().size(); i++) {
            String l = b.lines().get(i);
            if (cur.isEmpty()) {
                if (l.isBlank() || l.strip().startsWith("#")) continue;
                start = b.line() + i;
            }
            if (l.endsWith("\\")) {
                cur.append(l, 0, l.length() - 1).append(' ');
                continue;
            }
            logical.put(start, cur.append(l).toString().strip());
            cur.setLength(0);
        }
        if (logical.values().stream().noneMatch(l -> SHELL_COMMANDS.contains(commandWord(l)))) return List.of();
        List<Command> out = new ArrayList<>();
        for (Map.Entry<Integer, String> e : logical.entrySet()) {
            String l = e.getValue();
            String key = withoutComment(l).replaceAll("\\s+", " ").strip();
            String runnable = OPTIONAL.matcher(key).replaceAll("");
            if (PLACEHOLDER.matcher(QUOTED.matcher(runnable).replaceAll("''")).find()) runnable = null;
            else if (runnable.equals(key)) runnable = l;
            out.add(new Command(b, e.getKey(), l, key, runnable));
        }
        return out;
    }

    static String commandWord(String line) {
        Matcher m = ASSIGNMENTS.matcher(line);
        return line.substring(m.lookingAt() ? m.end() : 0).split("\\s+", 2)[0];
    }

    /** The value of the line's {@code --home DIR}, or null. */
    static String home(String line) {
        Matcher m = Pattern.compile("--home[ =](\\S+)").matcher(line);
        return m.find() ? m.group(1) : null;
    }

    /** An unquoted {@code #} that starts a word begins a shell comment. */
    static String withoutComment(String l) {
        char quote = 0;
        for (int i = 0; i < l.length(); i++) {
            char c = l.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(l.charAt(i - 1)))) {
                return l.substring(0, i).strip();
            }
        }
        return l.strip();
    }

    /**
     * Applies a YAML snippet whose leading lines are already in the file (the step it goes after): the longest
     * run of its first lines found verbatim in the file is replaced by the whole snippet. Fails when none is.
     */
    static String applySnippet(String file, List<String> snippet) {
        for (int n = snippet.size() - 1; n >= 1; n--) {
            String anchor = String.join("\n", snippet.subList(0, n)) + "\n";
            int at = file.indexOf(anchor);
            if (at >= 0 && file.indexOf(anchor, at + 1) < 0) {
                return file.substring(0, at) + String.join("\n", snippet) + "\n" + file.substring(at + anchor.length());
            }
        }
        throw new IllegalArgumentException("none of the snippet's leading lines occur (once) in the file:\n" + String.join("\n", snippet));
    }

}
