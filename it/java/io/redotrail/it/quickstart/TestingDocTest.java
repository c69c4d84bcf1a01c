package io.redotrail.it.quickstart;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/testing.md shows real code: its Java block is the example test that {@code mvn -B verify} runs, character
 * for character, and its XML block is the pom its commands copy, with this project's coordinates and the versions
 * the build uses.
 */
class TestingDocTest {
    private static final Path DOC = Path.of("docs/testing.md");
    private static final Path EXAMPLE = Path.of("it/java/com/example/routes/AccountReplicationIT.java");

    @Test
    void theJavaExampleIsTheTestThatRuns() throws Exception {
        List<DocCommands.Block> java = DocCommands.blocks(DOC).stream().filter(b -> b.lang().equals("java")).toList();
        assertEquals(1, java.size(), "docs/testing.md has one java block");
        assertEquals(Files.readString(EXAMPLE), java.get(0).text(), "docs/testing.md's java block differs from " + EXAMPLE);
    }

    /**
     * The xml block is docs/testkit/pom.xml (which the documented commands copy into a project of one's own,
     * QuickStartIT runs them), with this project's coordinates and the versions and plugins this build uses.
     */
    @Test
    void thePomIsTheFileTheCommandsCopyWithTheBuildsVersions() throws Exception {
        List<DocCommands.Block> xml = DocCommands.blocks(DOC).stream().filter(b -> b.lang().equals("xml")).toList();
        assertEquals(1, xml.size(), "docs/testing.md has one xml block");
        String snippet = xml.get(0).text(), pom = Files.readString(Path.of("pom.xml"));
        assertEquals(Files.readString(Path.of("docs/testkit/pom.xml")), snippet, "docs/testing.md's xml block differs from docs/testkit/pom.xml");
        String project = "<groupId>" + first(pom, "<groupId>([^<]+)</groupId>") + "</groupId>\n      <artifactId>"
                + first(pom, "<artifactId>([^<]+)</artifactId>") + "</artifactId>\n      <version>" + first(pom, "<version>([^<]+)</version>")
                + "</version>\n      <type>test-jar</type>\n      <scope>test</scope>";
        assertTrue(snippet.contains(project), "the test-jar dependency is not this project's:\n" + project + "\n---\n" + snippet);
        assertTrue(snippet.contains("<artifactId>camel-test-main-junit5</artifactId>\n      <version>" + first(pom, "<camel.version>([^<]+)<") + "<"),
                snippet);
        assertTrue(snippet.contains("<artifactId>junit-jupiter</artifactId>\n      <version>" + first(pom, "<junit.version>([^<]+)<") + "<"), snippet);
        for (String plugin : List.of("maven-compiler-plugin", "maven-resources-plugin", "maven-surefire-plugin", "maven-jar-plugin",
                "maven-failsafe-plugin")) {
            String version = first(pom, "<artifactId>" + plugin + "</artifactId><version>([^<]+)</version>");
            assertTrue(snippet.contains("<artifactId>" + plugin + "</artifactId>\n        <version>" + version + "</version>"),
                    plugin + " " + version + " as this build pins it:\n" + snippet);
        }
        assertTrue(pom.contains("<include>io/redotrail/testkit/**</include>"), "the test-jar holds the kit's package");
    }

    private static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex);
        return m.group(1);
    }
}
