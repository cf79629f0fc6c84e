package dev.paver;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE.md: the core talks to the outside world only through its own ports. */
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
                        "org.springframework..", "com.slack..", "org.kohsuke.github..", "org.eclipse.jgit..", "io.fabric8..")
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

    @Test
    void corePackagesFormNoCycle() {
        slices().matching("dev.paver.core.(*)..").should().beFreeOfCycles()
                .because("each core package builds on lower ones only, so one can be read and changed without the rest")
                .check(main);
    }
}
