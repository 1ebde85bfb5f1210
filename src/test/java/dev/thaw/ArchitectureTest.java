package dev.thaw;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.thaw.run.StudyControl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Holds ARCHITECTURE.md's package rules: dependencies point study ← search, train, store ← run ← cli and
 * store ← export, web ← cli; each framework is imported by its one adapter package.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.thaw");
    }

    /** Checks a rule; a rule whose subject matches no class fails (ArchUnit's default), so no rule can go vacuous. */
    private static void check(ArchRule rule) {
        rule.check(classes);
    }

    private static void mayNotUse(String pkg, String... forbidden) {
        check(noClasses().that().resideInAPackage(pkg).should().dependOnClassesThat().resideInAnyPackage(forbidden));
    }

    @Test
    void dependenciesPointTowardsTheStudy() {
        mayNotUse("dev.thaw.study..", "dev.thaw.search..", "dev.thaw.train..", "dev.thaw.store..", "dev.thaw.run..",
                "dev.thaw.export..", "dev.thaw.web..", "dev.thaw.cli..");
        mayNotUse("dev.thaw.search..", "dev.thaw.train..", "dev.thaw.store..", "dev.thaw.run..", "dev.thaw.export..",
                "dev.thaw.web..", "dev.thaw.cli..");
        mayNotUse("dev.thaw.train..", "dev.thaw.search..", "dev.thaw.store..", "dev.thaw.run..", "dev.thaw.export..",
                "dev.thaw.web..", "dev.thaw.cli..");
        mayNotUse("dev.thaw.store..", "dev.thaw.search..", "dev.thaw.train..", "dev.thaw.run..", "dev.thaw.export..",
                "dev.thaw.web..", "dev.thaw.cli..");
        mayNotUse("dev.thaw.run..", "dev.thaw.export..", "dev.thaw.web..", "dev.thaw.cli..");
        mayNotUse("dev.thaw.export..", "dev.thaw.search..", "dev.thaw.train..", "dev.thaw.run..", "dev.thaw.web..",
                "dev.thaw.cli..");
        mayNotUse("dev.thaw.web..", "dev.thaw.search..", "dev.thaw.train..", "dev.thaw.cli..");
    }

    /** Inside train: data ← source ← transfer ← cache ← fit, and the root (the environment check) above them all. */
    @Test
    void trainingPartsDependOneWay() {
        mayNotUse("dev.thaw.train.data..", "dev.thaw.train", "dev.thaw.train.source..", "dev.thaw.train.transfer..",
                "dev.thaw.train.cache..", "dev.thaw.train.fit..");
        mayNotUse("dev.thaw.train.source..", "dev.thaw.train", "dev.thaw.train.transfer..", "dev.thaw.train.cache..",
                "dev.thaw.train.fit..");
        mayNotUse("dev.thaw.train.transfer..", "dev.thaw.train", "dev.thaw.train.cache..", "dev.thaw.train.fit..");
        mayNotUse("dev.thaw.train.cache..", "dev.thaw.train", "dev.thaw.train.fit..");
        mayNotUse("dev.thaw.train.fit..", "dev.thaw.train");
    }

    @Test
    void packagesHaveNoCycles() {
        check(slices().matching("dev.thaw.(*)..").should().beFreeOfCycles());
        check(slices().matching("dev.thaw.(**)").should().beFreeOfCycles());
    }

    /** Study-file text is parsed by the commands and by the parts that read a stored study, never by the engine. */
    @Test
    void onlyTheEdgesReadStudyFiles() {
        check(noClasses().that().resideInAnyPackage("dev.thaw.search..", "dev.thaw.train..", "dev.thaw.store..")
                .or().resideInAPackage("dev.thaw.study")
                .should().dependOnClassesThat().resideInAPackage("dev.thaw.study.yaml.."));
    }

    @Test
    void theWebReachesRunningWorkOnlyThroughStudyControl() {
        check(noClasses().that().resideInAPackage("dev.thaw.web..").should().dependOnClassesThat(
                JavaClass.Predicates.resideInAPackage("dev.thaw.run..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.equivalentTo(StudyControl.class)))));
    }

    @Test
    void theStudyTypesUseNothingButTheJdk() {
        check(noClasses().that().resideInAPackage("dev.thaw.study").should().dependOnClassesThat()
                .resideOutsideOfPackages("java..", "dev.thaw.study"));
    }

    @Test
    void eachFrameworkHasOneAdapter() {
        check(noClasses().that().resideOutsideOfPackage("dev.thaw.train..").should().dependOnClassesThat()
                .resideInAnyPackage("org.deeplearning4j.nn..", "org.deeplearning4j.util..", "org.deeplearning4j.datasets..",
                        "org.deeplearning4j.optimize..", "org.deeplearning4j.zoo..", "org.deeplearning4j.common..",
                        "org.deeplearning4j.core..", "org.deeplearning4j.eval..", "org.deeplearning4j.earlystopping..",
                        "org.nd4j..", "org.datavec..", "org.bytedeco.."));
        check(noClasses().that().resideOutsideOfPackage("dev.thaw.search..").should().dependOnClassesThat()
                .resideInAnyPackage("org.deeplearning4j.arbiter..", "org.apache.commons.math3.."));
        check(noClasses().that().resideOutsideOfPackage("dev.thaw.store..").should().dependOnClassesThat()
                .resideInAnyPackage("org.h2..", "com.zaxxer..", "org.flywaydb..", "java.sql..", "javax.sql.."));
        check(noClasses().that().resideOutsideOfPackage("dev.thaw.run..").should().dependOnClassesThat()
                .resideInAnyPackage("org.quartz.."));
        check(noClasses().that().resideOutsideOfPackage("dev.thaw.web..").should().dependOnClassesThat()
                .resideInAnyPackage("io.javalin.."));
        check(noClasses().that().resideOutsideOfPackage("dev.thaw.cli..").should().dependOnClassesThat()
                .resideInAnyPackage("picocli..", "ch.qos.logback.."));
        check(noClasses().that().resideOutsideOfPackages("dev.thaw.study.yaml..", "dev.thaw.cli..", "dev.thaw.web..")
                .should().dependOnClassesThat().resideInAnyPackage("com.fasterxml.jackson.."));
    }
}
