package io.postroom.testing.ds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MetatypeBoundsTest {

    @interface Bounded {
        String name() default "x";

        int count() default 5;

        long big_value() default 10;
    }

    private static void enforcing(Bounded c) {
        if (c.count() < 1 || c.count() > 10) {
            throw new IllegalArgumentException("count must be between 1 and 10, not " + c.count());
        }
        if (c.big_value() < 0) {
            throw new IllegalArgumentException("big.value must be at least 0, not " + c.big_value());
        }
    }

    @Test
    void readsTheNumbersWithBoundsOnly() {
        assertThat(MetatypeBounds.of(Bounded.class, "test.bounds")).containsExactly(
                new MetatypeBounds.Bound("count", 1L, 10L), new MetatypeBounds.Bound("big.value", 0L, null));
    }

    @Test
    void aComponentThatChecksItsBoundsPasses() {
        assertThat(MetatypeBounds.assertEnforced(Bounded.class, "test.bounds", MetatypeBoundsTest::enforcing)).hasSize(2);
    }

    @Test
    void everyBoundNotEnforcedIsListed() {
        assertThatThrownBy(() -> MetatypeBounds.assertEnforced(Bounded.class, "test.bounds", c -> { }))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("count = 0 (below the minimum 1) was accepted")
                .hasMessageContaining("count = 11 (above the maximum 10) was accepted")
                .hasMessageContaining("big.value = -1 (below the minimum 0) was accepted");
    }

    @Test
    void aRefusalMustNameTheProperty() {
        assertThatThrownBy(() -> MetatypeBounds.assertEnforced(Bounded.class, "test.bounds", c -> {
            if (c.count() > 10) {
                throw new IllegalArgumentException("too many");
            }
            enforcing(c);
        })).hasMessageContaining("count = 11 (above the maximum 10) was refused without naming the property: too many");
    }

    @Test
    void aBoundRefusedIsListed() {
        assertThatThrownBy(() -> MetatypeBounds.assertEnforced(Bounded.class, "test.bounds", c -> {
            if (c.count() >= 10) {
                throw new IllegalArgumentException("count must be below 10");
            }
            enforcing(c);
        })).hasMessageContaining("count = 10 (a bound) was refused");
    }

    @Test
    void aMissingMetatypeSaysWhereItWasLookedFor() {
        assertThatThrownBy(() -> MetatypeBounds.of(Bounded.class, "no.such.pid"))
                .hasMessageContaining("OSGI-INF/metatype/no.such.pid.xml");
    }
}
