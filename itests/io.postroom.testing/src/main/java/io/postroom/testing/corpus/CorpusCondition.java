package io.postroom.testing.corpus;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The condition behind {@link EnabledIfCorpus}. */
public final class CorpusCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return SharedCorpus.locate()
                .map(path -> ConditionEvaluationResult.enabled("corpus at " + path))
                .orElseGet(() -> ConditionEvaluationResult.disabled(SharedCorpus.ABSENT));
    }
}
