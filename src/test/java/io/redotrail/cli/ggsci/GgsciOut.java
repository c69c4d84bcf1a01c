package io.redotrail.cli.ggsci;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Function;

/** One GGSCI command run in this JVM on a real home: its exit status and what it printed. */
record GgsciOut(int rc, String text) {

    static GgsciOut run(Path home, Function<String, String> config, String command) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = new Ggsci(home, config, new PrintStream(buf, true, StandardCharsets.UTF_8)).execute(command);
        return new GgsciOut(rc, buf.toString(StandardCharsets.UTF_8));
    }
}
