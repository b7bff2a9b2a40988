package io.berth.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module dependencies of DESIGN.md ("Modules"), held by a test rather than by hope. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.berth");
    }

    private static void check(ArchRule rule) {
        rule.allowEmptyShould(true).check(classes);
    }

    @Test
    void coreDependsOnNoOtherModule() {
        check(noClasses().that().resideInAPackage("io.berth.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.berth.store..", "io.berth.aws..",
                        "io.berth.ecs..", "io.berth.server..", "io.berth.testkit..", "io.berth.scheduler..",
                        "io.berth.agent..", "io.berth.registry..", "io.berth.lb.."));
    }

    @Test
    void coreDoesNoIoAndReadsNoClock() {
        check(noClasses().that().resideInAPackage("io.berth.core..")
                .should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.file..", "java.sql..",
                        "org.eclipse.jetty..", "com.fasterxml.jackson.."));
        check(noClasses().that().resideInAPackage("io.berth.core..")
                .should().dependOnClassesThat().haveNameMatching("java\\.io\\.(File|RandomAccessFile).*"));
        check(noClasses().that().resideInAnyPackage("io.berth.core..", "io.berth.scheduler..")
                .should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(Math.class, "random")
                .orShould().callConstructor(java.util.Random.class));
    }

    @Test
    void schedulerDependsOnlyOnCore() {
        check(noClasses().that().resideInAPackage("io.berth.scheduler..")
                .should().dependOnClassesThat().resideInAnyPackage("io.berth.store..", "io.berth.aws..",
                        "io.berth.ecs..", "io.berth.server..", "io.berth.agent..", "io.berth.registry..",
                        "io.berth.lb..", "java.net..", "java.nio.file..", "java.sql.."));
    }

    @Test
    void storeDependsOnlyOnCore() {
        check(noClasses().that().resideInAPackage("io.berth.store..")
                .should().dependOnClassesThat().resideInAnyPackage("io.berth.aws..", "io.berth.ecs..",
                        "io.berth.server..", "io.berth.scheduler..", "io.berth.agent..", "io.berth.registry..",
                        "io.berth.lb.."));
    }

    @Test
    void protocolEdgeDependsOnlyOnCore() {
        check(noClasses().that().resideInAPackage("io.berth.aws..")
                .should().dependOnClassesThat().resideInAnyPackage("io.berth.store..", "io.berth.ecs..",
                        "io.berth.server..", "io.berth.scheduler..", "io.berth.agent..", "io.berth.registry..",
                        "io.berth.lb.."));
    }

    @Test
    void serviceHandlersUseThePortsNotTheAdapters() {
        check(noClasses().that().resideInAnyPackage("io.berth.ecs..", "io.berth.registry..")
                .should().dependOnClassesThat().resideInAnyPackage("io.berth.store..", "io.berth.server..",
                        "io.berth.agent..", "io.berth.testkit.."));
    }

    @Test
    void agentAndLoadBalancerDependOnlyOnCore() {
        check(noClasses().that().resideInAnyPackage("io.berth.agent..", "io.berth.lb..")
                .should().dependOnClassesThat().resideInAnyPackage("io.berth.store..", "io.berth.ecs..",
                        "io.berth.server..", "io.berth.registry..", "io.berth.scheduler.."));
    }

    @Test
    void testkitDependsOnlyOnCore() {
        check(noClasses().that().resideInAPackage("io.berth.testkit..")
                .should().dependOnClassesThat().resideInAnyPackage("io.berth.store..", "io.berth.aws..",
                        "io.berth.ecs..", "io.berth.server.."));
    }

    @Test
    void onlyTheLauncherKnowsTheMetricsLibrary() {
        check(noClasses().that().resideOutsideOfPackages("io.berth.server..", "io.berth.it..", "io.berth.bench..")
                .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..", "io.prometheus.."));
    }

    @Test
    void cloudWatchDependsOnlyOnCoreAndTheEdgeAndServicesPublishThroughThePort() {
        check(noClasses().that().resideInAPackage("io.berth.cloudwatch..")
                .should().dependOnClassesThat().resideInAnyPackage("io.berth.store..", "io.berth.ecs..",
                        "io.berth.server..", "io.berth.scheduler..", "io.berth.agent..", "io.berth.registry..",
                        "io.berth.lb..", "io.berth.logs.."));
        check(noClasses().that().resideInAnyPackage("io.berth.ecs..", "io.berth.agent..", "io.berth.registry..")
                .should().dependOnClassesThat().resideInAPackage("io.berth.cloudwatch.."));
    }
}
