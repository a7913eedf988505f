package io.postroom.sample.host.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.api.spi.Plan;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PlansTest {

    @Test
    void freeAllowsOneMailboxHourlyAndNoSharing() {
        assertThat(Plans.FREE).isEqualTo(new Plan("Free", 1, Duration.ofMinutes(60), false));
    }

    @Test
    void standardAllowsThreeMailboxesEveryTenMinutesAndSharing() {
        assertThat(Plans.STANDARD).isEqualTo(new Plan("Standard", 3, Duration.ofMinutes(10), true));
    }

    @Test
    void professionalIsUnlimitedEveryFiveMinutesAndSharing() {
        assertThat(Plans.PROFESSIONAL.unlimitedMailboxes()).isTrue();
        assertThat(Plans.PROFESSIONAL.syncInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(Plans.PROFESSIONAL.sharedMailboxes()).isTrue();
    }

    @Test
    void namesAreMatchedIgnoringCaseAndSpaces() {
        assertThat(Plans.named("plan.default", " professional ")).isSameAs(Plans.PROFESSIONAL);
        assertThat(Plans.named("plan.default", "FREE")).isSameAs(Plans.FREE);
    }

    @Test
    void unknownPlanNamesTheKeyAndThePlansThereAre() {
        assertThatThrownBy(() -> Plans.named("user.bob.plan", "Gold"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("user.bob.plan = 'Gold' is not a plan of the sample host; use one of Free, Standard, Professional.");
    }
}
