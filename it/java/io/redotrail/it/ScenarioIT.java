package io.redotrail.it;

import io.redotrail.scenario.ScenarioRunner;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every script in {@code it/scenarios/*.scn} with {@link ScenarioRunner}, each against a fresh home under
 * {@code target/scenario-homes/<script>}, with the pipeline in separate JVMs from {@code target/redotrail.jar}.
 * A failing step fails the script's test with the step's file, line and reason; the home is left for inspection.
 */
class ScenarioIT {
    private static final Path PROJECT = Path.of(System.getProperty("redotrail.project.dir", ".")).toAbsolutePath().normalize();

    @TestFactory
    Stream<DynamicTest> everyScenarioPasses() throws IOException {
        List<Path> scripts;
        try (Stream<Path> s = Files.list(PROJECT.resolve("it/scenarios"))) {
            scripts = s.filter(p -> p.toString().endsWith(".scn")).sorted().toList();
        }
        assertFalse(scripts.isEmpty(), "no scenario scripts in " + PROJECT.resolve("it/scenarios"));
        return scripts.stream().map(script -> DynamicTest.dynamicTest(script.getFileName().toString(), () -> {
            Path home = PROJECT.resolve("target/scenario-homes").resolve(script.getFileName().toString().replace(".scn", ""));
            deleteTree(home);
            // the processes get the JVM options of every other end-to-end test's program JVMs (C1 only: less CPU)
            new ScenarioRunner(PROJECT, PROJECT.resolve("config/application.properties"), home, System.out)
                    .childJvmOptions(ItJvms.childJvmOptions()).run(script);
            if (script.getFileName().toString().equals("missing-archive.scn")) missingLogIsReported(home);
        }));
    }

    /** A log missing at the recovery checkpoint is a start-up refusal: reported with its id, EXT1 ABENDED. */
    private static void missingLogIsReported(Path home) throws IOException {
        String rpt = Files.readString(home.resolve("dirrpt/EXT1.rpt"));
        assertTrue(rpt.contains("ERROR   OGG-00446  Could not find archived log")
                && rpt.contains("ERROR   OGG-01668  PROCESS ABENDING: OGG-00446"), "dirrpt/EXT1.rpt:\n" + rpt);
        String all = ItJvms.execute("ggsci", "--home", home.toString(), "info all").output();
        assertTrue(all.lines().anyMatch(l -> l.matches("EXTRACT +ABENDED +EXT1\\b.*")), all);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
