package io.postroom.testing.dovecot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * JUnit 5: run the test class or method only when Dovecot is installed; otherwise it is skipped
 * with "{@value Dovecot#NOT_INSTALLED}". For managing an instance, see {@link DovecotExtension}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(DovecotCondition.class)
public @interface EnabledIfDovecot {
}
