package io.vireo.server;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.vireo.agent.guard.FenceGuardProcess;
import io.vireo.agent.guard.MonotonicClock;
import io.vireo.agent.reconcile.VmReconciler;
import io.vireo.controller.HostMonitor;
import java.time.Clock;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The module layering of ARCHITECTURE.md, checked on the compiled classes of every module. */
class LayeringTest {
    private static final JavaClasses VIREO = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.vireo");

    static Stream<Arguments> rules() {
        return Stream.of(
                rule(
                        "the model depends on common only",
                        noClasses()
                                .that()
                                .resideInAPackage("io.vireo.model..")
                                .should()
                                .dependOnClassesThat()
                                .resideInAnyPackage(
                                        "io.vireo.scheduler..",
                                        "io.vireo.controller..",
                                        "io.vireo.store..",
                                        "io.vireo.api..",
                                        "io.vireo.agent..",
                                        "io.vireo.cli..",
                                        "io.vireo.server..",
                                        "io.vireo.proto..")),
                rule(
                        "the scheduler is pure: model and common only, no I/O",
                        noClasses()
                                .that()
                                .resideInAPackage("io.vireo.scheduler..")
                                .should()
                                .dependOnClassesThat()
                                .resideInAnyPackage(
                                        "io.vireo.controller..",
                                        "io.vireo.store..",
                                        "io.vireo.api..",
                                        "io.vireo.agent..",
                                        "io.vireo.cli..",
                                        "io.vireo.server..",
                                        "io.vireo.proto..",
                                        "java.io..",
                                        "java.nio..",
                                        "java.net..",
                                        "java.sql..")),
                rule(
                        "the controller imports no JDBC, HTTP, gRPC or QEMU class",
                        noClasses()
                                .that()
                                .resideInAPackage("io.vireo.controller..")
                                .should()
                                .dependOnClassesThat()
                                .resideInAnyPackage(
                                        "java.sql..",
                                        "javax.sql..",
                                        "io.javalin..",
                                        "io.grpc..",
                                        "java.net.http..",
                                        "com.zaxxer..",
                                        "org.flywaydb..",
                                        "org.postgresql..",
                                        "io.vireo.store..",
                                        "io.vireo.api..",
                                        "io.vireo.agent..",
                                        "io.vireo.cli..",
                                        "io.vireo.server..",
                                        "io.vireo.proto..",
                                        "io.vireo.pki..")),
                rule(
                        "the store knows the controller's ports, not the edges",
                        noClasses()
                                .that()
                                .resideInAPackage("io.vireo.store..")
                                .should()
                                .dependOnClassesThat()
                                .resideInAnyPackage(
                                        "io.vireo.api..",
                                        "io.vireo.agent..",
                                        "io.vireo.cli..",
                                        "io.vireo.server..",
                                        "io.javalin..",
                                        "io.grpc..")),
                rule(
                        "image files implement the controller's ports, not the edges",
                        noClasses()
                                .that()
                                .resideInAPackage("io.vireo.images..")
                                .should()
                                .dependOnClassesThat()
                                .resideInAnyPackage(
                                        "io.vireo.store..",
                                        "io.vireo.api..",
                                        "io.vireo.agent..",
                                        "io.vireo.cli..",
                                        "io.vireo.server..",
                                        "io.javalin..",
                                        "io.grpc..")),
                rule(
                        "the API does not reach around the controller",
                        noClasses()
                                .that()
                                .resideInAPackage("io.vireo.api..")
                                .should()
                                .dependOnClassesThat()
                                .resideInAnyPackage(
                                        "io.vireo.store..",
                                        "io.vireo.agent..",
                                        "io.vireo.cli..",
                                        "io.vireo.server..",
                                        "java.sql..",
                                        "io.grpc..")),
                rule(
                        "the agent speaks the protocol, not the controller",
                        noClasses()
                                .that()
                                .resideInAPackage("io.vireo.agent..")
                                .should()
                                .dependOnClassesThat()
                                .resideInAnyPackage(
                                        "io.vireo.controller..",
                                        "io.vireo.store..",
                                        "io.vireo.api..",
                                        "io.vireo.cli..",
                                        "io.vireo.server..",
                                        "io.vireo.scheduler..")),
                rule(
                        "the PKI is certificates and keys only: common, no Vireo module above it, no transport",
                        noClasses()
                                .that()
                                .resideInAPackage("io.vireo.pki..")
                                .should()
                                .dependOnClassesThat()
                                .resideInAnyPackage(
                                        "io.vireo.model..",
                                        "io.vireo.controller..",
                                        "io.vireo.store..",
                                        "io.vireo.api..",
                                        "io.vireo.agent..",
                                        "io.vireo.cli..",
                                        "io.vireo.server..",
                                        "io.vireo.proto..",
                                        "io.grpc..")),
                rule(
                        "BouncyCastle stays inside the PKI module",
                        noClasses()
                                .that()
                                .resideOutsideOfPackage("io.vireo.pki..")
                                .should()
                                .dependOnClassesThat()
                                .resideInAPackage("org.bouncycastle..")),
                rule(
                        "the CLI is a client of the REST API only",
                        noClasses()
                                .that()
                                .resideInAPackage("io.vireo.cli..")
                                .should()
                                .dependOnClassesThat()
                                .resideInAnyPackage(
                                        "io.vireo.controller..",
                                        "io.vireo.store..",
                                        "io.vireo.api..",
                                        "io.vireo.agent..",
                                        "io.vireo.server..",
                                        "io.vireo.scheduler..")),
                rule(
                        "the simulator runs the controller and the agent on the in-memory store, never the edges",
                        noClasses()
                                .that()
                                .resideInAPackage("io.vireo.sim..")
                                .should()
                                .dependOnClassesThat(POSTGRESQL_STORE)
                                .orShould()
                                .dependOnClassesThat()
                                .resideInAnyPackage(
                                        "io.vireo.api..",
                                        "io.vireo.cli..",
                                        "io.vireo.server..",
                                        "java.sql..",
                                        "io.grpc..")),
                rule(
                        "only the simulator plants bugs in the agent's reconciler",
                        noClasses()
                                .that()
                                .resideOutsideOfPackages("io.vireo.sim..", "io.vireo.agent.reconcile..")
                                .should()
                                .dependOnClassesThat()
                                .belongToAnyOf(VmReconciler.PlantedBugs.class)),
                rule(
                        "only the simulator plants bugs in the host monitor",
                        noClasses()
                                .that()
                                .resideOutsideOfPackages("io.vireo.sim..")
                                .and()
                                .doNotBelongToAnyOf(HostMonitor.class)
                                .should()
                                .dependOnClassesThat()
                                .belongToAnyOf(HostMonitor.PlantedBugs.class)),
                rule(
                        "the in-memory store is for tests and the simulator: no product code depends on it",
                        noClasses()
                                .that()
                                .resideOutsideOfPackages(MEMORY_STORE, "io.vireo.sim..")
                                .should()
                                .dependOnClassesThat()
                                .resideInAPackage(MEMORY_STORE)),
                rule(
                        "the in-memory store implements the controller's ports and knows no more of Vireo than the model and"
                                + " common",
                        noClasses()
                                .that()
                                .resideInAPackage(MEMORY_STORE)
                                .should()
                                .dependOnClassesThat(CONTROLLER_BEYOND_PORTS.or(POSTGRESQL_STORE))
                                .orShould()
                                .dependOnClassesThat()
                                .resideInAnyPackage(
                                        "io.vireo.scheduler..",
                                        "io.vireo.api..",
                                        "io.vireo.agent..",
                                        "io.vireo.cli..",
                                        "io.vireo.server..",
                                        "java.sql..",
                                        "io.grpc..")),
                rule(
                        "nothing depends on the simulator and the benchmarks",
                        noClasses()
                                .that()
                                .resideOutsideOfPackage("io.vireo.sim..")
                                .should()
                                .dependOnClassesThat()
                                .resideInAPackage("io.vireo.sim..")),
                rule(
                        "the controller, the scheduler and the reconciler take time, ids, randomness and threads as"
                                + " parameters",
                        noClasses()
                                .that()
                                .resideInAnyPackage(STEPPED)
                                .should()
                                .callMethod(UUID.class, "randomUUID")
                                .orShould()
                                .callMethod(Instant.class, "now")
                                .orShould()
                                .callMethodWhere(owned(Clock.class, "system"))
                                .orShould()
                                .callMethod(System.class, "currentTimeMillis")
                                .orShould()
                                .callMethod(System.class, "nanoTime")
                                .orShould()
                                .callMethod(Math.class, "random")
                                .orShould()
                                .callMethod(Thread.class, "sleep", long.class)
                                .orShould()
                                .callMethodWhere(owned(Thread.class, "of"))
                                .orShould()
                                .callMethodWhere(owned(CompletableFuture.class, "Async"))
                                .orShould()
                                .callConstructorWhere(JavaCall.Predicates.target(
                                        HasOwner.Predicates.With.owner(assignableTo(Thread.class))))
                                .orShould()
                                .callConstructor(Random.class)
                                .orShould()
                                .dependOnClassesThat()
                                .belongToAnyOf(ThreadLocalRandom.class, Executors.class)),
                rule(
                        "the fence guard takes its clocks from its composition root",
                        noClasses()
                                .that()
                                .resideInAPackage("io.vireo.agent.guard..")
                                .and()
                                .doNotBelongToAnyOf(FenceGuardProcess.class, MonotonicClock.class)
                                .should()
                                .callMethod(Instant.class, "now")
                                .orShould()
                                .callMethodWhere(owned(Clock.class, "system"))
                                .orShould()
                                .callMethod(System.class, "currentTimeMillis")
                                .orShould()
                                .callMethod(System.class, "nanoTime")
                                .orShould()
                                .callMethod(Thread.class, "sleep", long.class)),
                rule(
                        "nothing but the server depends on the server",
                        noClasses()
                                .that()
                                .resideOutsideOfPackage("io.vireo.server..")
                                .should()
                                .dependOnClassesThat()
                                .resideInAPackage("io.vireo.server..")));
    }

    /** The packages whose loops the simulator steps: no clock, id, randomness or thread of their own. */
    private static final String[] STEPPED = {
        "io.vireo.controller..", "io.vireo.scheduler..", "io.vireo.agent.reconcile..", "io.vireo.store.memory.."
    };

    /** The in-memory store (module vireo-store-memory). */
    private static final String MEMORY_STORE = "io.vireo.store.memory..";

    /** The PostgreSQL store: the store's packages but the in-memory one. */
    private static final DescribedPredicate<JavaClass> POSTGRESQL_STORE = resideInAPackage("io.vireo.store..")
            .and(not(resideInAPackage(MEMORY_STORE)))
            .as("the PostgreSQL store");

    /** The controller's services and loops, as opposed to the ports it defines for its stores. */
    private static final DescribedPredicate<JavaClass> CONTROLLER_BEYOND_PORTS = resideInAPackage(
                    "io.vireo.controller..")
            .and(not(resideInAPackage("io.vireo.controller.port..")))
            .as("the controller beyond its ports");

    /** A call of a method of {@code owner} whose name starts with, or ends with, {@code part}. */
    private static DescribedPredicate<JavaCall<?>> owned(Class<?> owner, String part) {
        return DescribedPredicate.describe(
                "a call of " + owner.getSimpleName() + "." + part + "*",
                call -> call.getTargetOwner().isEquivalentTo(owner)
                        && (call.getName().startsWith(part) || call.getName().endsWith(part)));
    }

    private static Arguments rule(String name, ArchRule rule) {
        return Arguments.of(name, rule);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void holds(String name, ArchRule rule) {
        rule.check(VIREO);
    }
}
