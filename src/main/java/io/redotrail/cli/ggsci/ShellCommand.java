package io.redotrail.cli.ggsci;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code SHELL command}: runs {@code command} with {@code /bin/sh -c} in the home directory (GGSCI's working
 * directory, so {@code shell ls -l ./BR/EXT1} lists what seed 002 lists) and prints its output and errors; a non-zero
 * exit status fails the command, naming it. The command's standard input is empty.
 */
final class ShellCommand implements GgsciCommand {
    @Override
    public String verb() {
        return "SHELL";
    }

    @Override
    public String object() {
        return null;
    }

    @Override
    public String usage() {
        return "SHELL <command>";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) throws Exception {
        String raw = c.raw().strip();
        String command = raw.length() > 5 ? raw.substring(5).strip() : "";
        if (command.isEmpty()) throw new GgsciException("usage: " + usage());
        Process p = new ProcessBuilder("/bin/sh", "-c", command).directory(ctx.home().toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        int rc = p.waitFor();
        ctx.out().print(out.toString(StandardCharsets.UTF_8));
        if (rc != 0) throw new GgsciException("SHELL command exited with status " + rc + ": " + command);
        return 0;
    }
}
