package io.postroom.testing.dovecot;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The condition behind {@link EnabledIfDovecot}: skip only when the binaries are absent. */
public final class DovecotCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return evaluate();
    }

    static ConditionEvaluationResult evaluate() {
        return Dovecot.isAvailable()
                ? ConditionEvaluationResult.enabled("Dovecot found at " + Dovecot.dovecotBinary())
                : ConditionEvaluationResult.disabled(Dovecot.NOT_INSTALLED);
    }
}
