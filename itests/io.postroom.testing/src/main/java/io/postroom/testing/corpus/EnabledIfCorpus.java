package io.postroom.testing.corpus;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * JUnit 5: run the test class or method only when the {@link SharedCorpus} is present; otherwise
 * it is skipped with {@link SharedCorpus#ABSENT}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(CorpusCondition.class)
public @interface EnabledIfCorpus {
}
