package io.vireo.common.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * In CI ({@code CI=true}), a test whose assumption fails — QEMU, root or a system package missing — fails instead of
 * being skipped: CI installs what the tests need, so a skip there hides a broken install step or a test that never
 * runs. Elsewhere assumptions skip as usual. Registered for every test of the modules that depend on this test-jar,
 * by JUnit's extension auto-detection ({@code META-INF/services}, enabled in the parent pom's Surefire and Failsafe
 * configuration).
 */
public final class NoSkipsInCi implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static Throwable failInCi(Throwable thrown) {
        return failIf(inCi(), thrown);
    }

    /** In CI, an aborted test (a failed assumption, whichever library made it) becomes a failure. */
    static Throwable failIf(boolean ci, Throwable thrown) {
        boolean aborted = thrown instanceof TestAbortedException
                || thrown.getClass().getName().endsWith("AssumptionViolatedException");
        if (ci && aborted) {
            AssertionError failure =
                    new AssertionError("CI runs every test, but this one would be skipped: " + thrown.getMessage());
            failure.initCause(thrown);
            return failure;
        }
        return thrown;
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw failInCi(throwable);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw failInCi(throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw failInCi(throwable);
    }
}
