package io.postroom.testing.dovecot;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: a {@link Dovecot} for a test class, or skip the class with
 * "{@value Dovecot#NOT_INSTALLED}" when Dovecot is not installed (only then: any other failure to
 * start fails the tests).
 *
 * <pre>{@code
 * @RegisterExtension
 * static final DovecotExtension DOVECOT = DovecotExtension.perClass();   // or .shared()
 *
 * @Test
 * void syncs() {
 *     DovecotUser user = DOVECOT.dovecot().newUser();
 *     ...
 * }
 * }</pre>
 * Declarative use works too: {@code @ExtendWith(DovecotExtension.class)} (one instance per class)
 * and a {@code Dovecot} parameter in test or lifecycle methods.
 */
public final class DovecotExtension implements ExecutionCondition, BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private final boolean shared;
    private volatile Dovecot dovecot;

    /** One instance per test class (what {@code @ExtendWith(DovecotExtension.class)} gives). */
    public DovecotExtension() {
        this(false);
    }

    private DovecotExtension(boolean shared) {
        this.shared = shared;
    }

    /** A new Dovecot for the test class, stopped after it. */
    public static DovecotExtension perClass() {
        return new DovecotExtension(false);
    }

    /** The JVM's shared Dovecot ({@link Dovecot#shared()}): use a fresh user per test. */
    public static DovecotExtension shared() {
        return new DovecotExtension(true);
    }

    /** The running instance (from {@code @BeforeAll} on). */
    public Dovecot dovecot() {
        Dovecot current = dovecot;
        if (current == null) {
            throw new IllegalStateException("Dovecot is not started yet: register the extension on a static field");
        }
        return current;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return DovecotCondition.evaluate();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (dovecot == null) {
            dovecot = shared ? Dovecot.shared() : Dovecot.start();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Dovecot current = dovecot;
        dovecot = null;
        if (current != null && !shared) {
            current.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Dovecot.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (dovecot == null) {
            beforeAll(context);
        }
        return dovecot();
    }
}
