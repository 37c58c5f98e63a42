package io.vireo.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The layers inside the CLI: commands on top, then output, then the client, which knows no command-line library. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.vireo.cli");

    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of(
                        "the client knows neither picocli nor the commands nor the output",
                        noClasses()
                                .that()
                                .resideInAPackage("io.vireo.cli.client..")
                                .should()
                                .dependOnClassesThat()
                                .resideInAnyPackage("picocli..", "io.vireo.cli", "io.vireo.cli.output..")),
                Arguments.of(
                        "the output knows neither picocli nor the commands",
                        noClasses()
                                .that()
                                .resideInAPackage("io.vireo.cli.output..")
                                .should()
                                .dependOnClassesThat()
                                .resideInAnyPackage("picocli..", "io.vireo.cli")),
                Arguments.of(
                        "the CLI uses no other Vireo module: it speaks only the REST API",
                        noClasses()
                                .that()
                                .resideInAPackage("io.vireo.cli..")
                                .should()
                                .dependOnClassesThat()
                                .resideOutsideOfPackages(
                                        "io.vireo.cli..",
                                        "java..",
                                        "javax..",
                                        "picocli..",
                                        "com.fasterxml.jackson..",
                                        "org.jspecify..")),
                Arguments.of(
                        "nothing reads the process environment behind the launcher's back",
                        noClasses()
                                .that()
                                .resideInAPackage("io.vireo.cli..")
                                .and()
                                .doNotHaveSimpleName("CliEnvironment")
                                .and()
                                .doNotHaveSimpleName("VireoCli")
                                .should()
                                .callMethod(System.class, "getenv")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void holds(String name, ArchRule rule) {
        rule.check(CLASSES);
    }
}
