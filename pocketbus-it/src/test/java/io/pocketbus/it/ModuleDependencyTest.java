package io.pocketbus.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the module dependency direction of DESIGN.md §2: dependencies point inward, the broker stands alone. */
class ModuleDependencyTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.pocketbus");
    }

    @Test
    void toolsIsALeaf() {
        noClasses().that().resideInAPackage("io.pocketbus.tools..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.pocketbus", "io.pocketbus.broker..", "io.pocketbus.core..", "io.pocketbus.db..",
                        "io.pocketbus.http..", "io.pocketbus.bridge..")
                .allowEmptyShould(true).check(classes);
    }

    @Test
    void brokerDependsOnToolsOnly() {
        noClasses().that().resideInAPackage("io.pocketbus.broker..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.pocketbus", "io.pocketbus.core..", "io.pocketbus.db..", "io.pocketbus.http..",
                        "io.pocketbus.bridge..", "org.eclipse.jetty..", "org.sqlite..")
                .allowEmptyShould(true).check(classes);
    }

    @Test
    void coreNeverSeesJettyDriversOrTheBroker() {
        noClasses().that().resideInAPackage("io.pocketbus.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.pocketbus", "io.pocketbus.broker..", "io.pocketbus.db..", "io.pocketbus.http..",
                        "io.pocketbus.bridge..", "org.eclipse.jetty..", "org.sqlite..", "io.nats..")
                .allowEmptyShould(true).check(classes);
    }

    @Test
    void dialectsSeeOnlyCore() {
        noClasses().that().resideInAPackage("io.pocketbus.db..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.pocketbus", "io.pocketbus.broker..", "io.pocketbus.http..", "io.pocketbus.bridge..",
                        "org.eclipse.jetty..")
                .allowEmptyShould(true).check(classes);
    }

    @Test
    void httpDoesNotReachTheBrokerOrADriver() {
        noClasses().that().resideInAPackage("io.pocketbus.http..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.pocketbus", "io.pocketbus.broker..", "io.pocketbus.db..", "io.pocketbus.bridge..",
                        "org.sqlite..")
                .allowEmptyShould(true).check(classes);
    }

    @Test
    void bridgeDoesNotReachTheDistribution() {
        noClasses().that().resideInAPackage("io.pocketbus.bridge..")
                .should().dependOnClassesThat().resideInAnyPackage("io.pocketbus", "io.pocketbus.db..")
                .allowEmptyShould(true).check(classes);
    }
}
