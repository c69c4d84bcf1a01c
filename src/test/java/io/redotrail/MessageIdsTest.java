package io.redotrail;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Message ids in the sources and docs are GoldenGate's ({@code OGG-nnnnn}), Oracle's ({@code ORA-nnnnn}, a simulated error) or redotrail's own, all with one
 * prefix, {@code RTR-nnnnn}: an operator greps ggserr.log and the reports for one prefix, not two.
 */
class MessageIdsTest {
    private static final Pattern ID = Pattern.compile("\\b([A-Z]{3})-\\d{5}\\b");

    @Test
    void ourIdsAllStartWithRtr() throws Exception {
        List<String> other = new ArrayList<>();
        for (String root : new String[]{"src/main/java", "docs"}) {
            try (Stream<Path> files = Files.walk(Path.of(root))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        Matcher m = ID.matcher(lines.get(i));
                        while (m.find()) {
                            if (!List.of("OGG", "ORA", "RTR").contains(m.group(1))) other.add(f + ":" + (i + 1) + " " + m.group());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), other);
    }
}
