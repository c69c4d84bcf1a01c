package io.redotrail.control.manager;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The group process command line of contract 2. */
class ChildCommandTest {
    @Test
    void contractTwosCommandLine() {
        ChildCommand c = new ChildCommand("/jdk/bin/java", List.of("-Xmx2g"), "/rt/target/redotrail.jar", ChildCommand.MAIN,
                List.of("--home", "/rt/home", "--config", "/rt/config/application.properties", "--set", "a.b=c d"), Path.of("/rt"));
        assertEquals(List.of("/jdk/bin/java", "-Xmx2g", "-cp", "/rt/target/redotrail.jar", "io.redotrail.cli.Main", "process",
                "--home", "/rt/home", "--config", "/rt/config/application.properties", "--set", "a.b=c d", "REP1", "--atcsn", "9137521"),
                c.command("REP1", List.of("ATCSN", "9137521")));
        assertEquals("--aftercsn", c.command("REP1", List.of("AFTERCSN", "5")).get(13));
        assertEquals("EXT1", c.command("EXT1", List.of()).get(c.command("EXT1", List.of()).size() - 1));
    }

    @Test
    void thisJvmsJavaAndClassPath() {
        ChildCommand c = ChildCommand.ofThisJvm(ChildCommand.MAIN, List.of());
        assertEquals(System.getProperty("java.class.path"), c.classpath());
        assertTrue(c.jvmOptions().stream().noneMatch(o -> o.startsWith("-agentlib") || o.startsWith("-javaagent") || o.startsWith("-Xrun")),
                c.jvmOptions().toString());
        assertEquals(Path.of("").toAbsolutePath(), c.workDir());
    }
}
