package dev.paver;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ARCHITECTURE.md: the core talks to the outside world only through its own ports, and its packages form layers
 * without cycles, lowest first: convention, report, access; secret; goldenpath; audit; approval; run; action.
 */
class ArchitectureTest {

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
                .importPackages("dev.paver");
    }

    @Test
    void coreDependsOnNoFrameworkNorAdapterLibrary() {
        noClasses().that().resideInAPackage("dev.paver.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "com.slack..", "org.kohsuke.github..", "org.eclipse.jgit..", "io.fabric8..",
                        "io.micrometer..")
                .because("the core decides and adapters talk to Slack, GitHub, git and Kubernetes (ARCHITECTURE.md)")
                .check(main);
    }

    @Test
    void coreDependsOnNoAdapterPackageOfPaver() {
        noClasses().that().resideInAPackage("dev.paver.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.paver.slack..", "dev.paver.git..", "dev.paver.kubernetes..", "dev.paver.store..", "dev.paver.config..")
                .because("data moves one way: adapters depend on the core, never the reverse")
                .check(main);
    }

    /**
     * The core's packages, lowest layer first, in the direction the data flows: the contract and the words people
     * see, what a golden path is, the records and policies it is checked against, a run, and the actions a run's
     * steps call through ports. A package imports only packages of lower layers; each package-info.java says the same.
     */
    private static final List<List<String>> CORE_LAYERS = List.of(
            List.of("convention", "report", "access"),
            List.of("secret"),
            List.of("goldenpath"),
            List.of("audit"),
            List.of("approval"),
            List.of("run"),
            List.of("action"));

    @Test
    void corePackagesFormNoCycle() {
        slices().matching("dev.paver.core.(*)..").should().beFreeOfCycles()
                .because("each core package builds on lower ones only, so one can be read and changed without the rest")
                .check(main);
    }

    @Test
    void corePackagesImportOnlyLowerLayers() {
        Set<String> placed = CORE_LAYERS.stream().flatMap(List::stream).collect(Collectors.toSet());
        Set<String> present = main.stream().map(JavaClass::getPackageName)
                .filter(name -> name.startsWith("dev.paver.core."))
                .map(name -> name.substring("dev.paver.core.".length()).split("\\.")[0])
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(placed).as("every core package has a layer in CORE_LAYERS").containsAll(present);
        for (int layer = 0; layer < CORE_LAYERS.size(); layer++) {
            List<String> sameOrHigher = CORE_LAYERS.subList(layer, CORE_LAYERS.size()).stream()
                    .flatMap(List::stream).toList();
            for (String pkg : CORE_LAYERS.get(layer)) {
                String[] forbidden = sameOrHigher.stream().filter(other -> !other.equals(pkg))
                        .map(other -> "dev.paver.core." + other + "..").toArray(String[]::new);
                if (forbidden.length == 0) {
                    continue;
                }
                noClasses().that().resideInAPackage("dev.paver.core." + pkg + "..")
                        .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                        .because("core packages import only lower layers (ArchitectureTest.CORE_LAYERS, package-info.java)")
                        .check(main);
            }
        }
    }
}
