package io.redotrail.arch;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package boundaries of docs/architecture.md ("Package boundaries"), checked on the main classes. Layers in
 * order: the pipeline, the simulator ({@code sim}), the launcher ({@code runtime}), the control plane
 * ({@code control}: Manager, parameter files, group processes), the test tooling
 * ({@code scenario}, the test kit {@code testkit}, then {@code bench}), the command line ({@code cli}); a layer uses only
 * those before it. The test kit is test source (shipped as the test-jar); {@link TestKitArchitectureTest} checks it.
 */
@AnalyzeClasses(packages = "io.redotrail", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    static final String[] PIPELINE = {"io.redotrail.core..", "io.redotrail.checkpoint..", "io.redotrail.camel..", "io.redotrail.redo..",
            "io.redotrail.extract..", "io.redotrail.pump..", "io.redotrail.trail..", "io.redotrail.replicat..",
            "io.redotrail.report..", "io.redotrail.verify..", "io.redotrail.net..", "io.redotrail.observe.."};
    static final String SIM = "io.redotrail.sim..";
    static final String RUNTIME = "io.redotrail.runtime..";
    static final String CONTROL = "io.redotrail.control..";
    static final String SCENARIO = "io.redotrail.scenario..";
    /** Test sources: no main class may use it; its own rules are in {@link TestKitArchitectureTest}. */
    static final String TESTKIT = "io.redotrail.testkit..";
    static final String BENCH = "io.redotrail.bench..";
    static final String CLI = "io.redotrail.cli..";

    @ArchTest
    static final ArchRule pipelineUsesNoSimulatorLauncherToolingOrCli = noClasses().that().resideInAnyPackage(PIPELINE)
            .should().dependOnClassesThat().resideInAnyPackage(SIM, RUNTIME, CONTROL, SCENARIO, BENCH, CLI)
            .because("the routes run against a real source's redo; the simulator and test tooling are not shipped logic");

    @ArchTest
    static final ArchRule simulatorUsesOnlyThePipeline = noClasses().that().resideInAPackage(SIM)
            .should().dependOnClassesThat().resideInAnyPackage(RUNTIME, CONTROL, SCENARIO, BENCH, CLI)
            .because("the simulated source database writes redo as a real one would, knowing nothing of the launcher");

    @ArchTest
    static final ArchRule runtimeUsesNoToolingOrCli = noClasses().that().resideInAPackage(RUNTIME)
            .should().dependOnClassesThat().resideInAnyPackage(CONTROL, SCENARIO, BENCH, CLI)
            .because("cli, scenario and bench all start the pipeline through runtime");

    @ArchTest
    static final ArchRule controlPlaneUsesNoToolingOrCli = noClasses().that().resideInAPackage(CONTROL)
            .should().dependOnClassesThat().resideInAnyPackage(SCENARIO, BENCH, CLI)
            .because("the Manager, parameter files and group processes are shipped; GGSCI (cli) drives them");

    @ArchTest
    static final ArchRule scenarioUsesNoBenchOrCli = noClasses().that().resideInAPackage(SCENARIO)
            .should().dependOnClassesThat().resideInAnyPackage(BENCH, CLI)
            .because("scenario scripts drive the pipeline through runtime and child JVMs, not through the command line");

    @ArchTest
    static final ArchRule benchUsesNoCli = noClasses().that().resideInAPackage(BENCH)
            .should().dependOnClassesThat().resideInAPackage(CLI)
            .because("the bench command calls the benchmarks, never the other way round");

    @ArchTest
    static final ArchRule everyPackageHasAPlaceInTheLayers = classes().should().resideInAnyPackage(
                    concat(PIPELINE, SIM, RUNTIME, CONTROL, SCENARIO, BENCH, CLI))
            .because("a new package root must be placed in a layer here and in docs/architecture.md");

    @ArchTest
    static final ArchRule noMainClassUsesTheTestKit = noClasses().should().dependOnClassesThat().resideInAPackage(TESTKIT)
            .allowEmptyShould(true).because("the test kit is test tooling for users' tests, not part of the bundle");

    @ArchTest
    static final ArchRule noCyclesBetweenPackageRoots = slices().matching("io.redotrail.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().matching("io.redotrail.(**)").should().beFreeOfCycles();

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
