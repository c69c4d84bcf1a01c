package io.redotrail.arch;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The test kit's place in the layers of docs/architecture.md ("Package boundaries"): {@code testkit} is test
 * tooling beside {@code scenario} (it uses the pipeline, the simulator, the launcher and the scenario steps, never
 * the benchmarks or the command line), and it is shipped alone as the test-jar, so it uses no test class outside
 * its own package (one would be missing from the jar).
 */
@AnalyzeClasses(packages = "io.redotrail.testkit")
class TestKitArchitectureTest {
    static final String TESTKIT = ArchitectureTest.TESTKIT;

    private static final DescribedPredicate<JavaClass> TEST_CLASS_OUTSIDE_THE_KIT =
            new DescribedPredicate<>("are test classes outside io.redotrail.testkit (missing from the test-jar)") {
                @Override
                public boolean test(JavaClass c) {
                    return !c.getPackageName().startsWith("io.redotrail.testkit") && c.getSource()
                            .map(s -> s.getUri().toString().contains("/test-classes/")).orElse(false);
                }
            };

    @ArchTest
    static final ArchRule testKitUsesNoBenchOrCli = noClasses().that().resideInAPackage(TESTKIT)
            .should().dependOnClassesThat().resideInAnyPackage(ArchitectureTest.BENCH, ArchitectureTest.CLI)
            .because("a user's test runs the routes through runtime and scenario, as the commands do");

    @ArchTest
    static final ArchRule testKitUsesOnlyShippedClasses = noClasses().that().resideInAPackage(TESTKIT)
            .should().dependOnClassesThat(TEST_CLASS_OUTSIDE_THE_KIT)
            .because("the test-jar holds only io/redotrail/testkit/**; the rest comes from the main jar");
}
