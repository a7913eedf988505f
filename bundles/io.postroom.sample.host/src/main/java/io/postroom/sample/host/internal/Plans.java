package io.postroom.sample.host.internal;

import io.postroom.api.spi.Plan;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The sample host's plan table, as a CRM might sell it. */
final class Plans {
    static final Plan FREE = new Plan("Free", 1, Duration.ofMinutes(60), false);
    static final Plan STANDARD = new Plan("Standard", 3, Duration.ofMinutes(10), true);
    static final Plan PROFESSIONAL = new Plan("Professional", Plan.UNLIMITED, Duration.ofMinutes(5), true);

    static final List<Plan> ALL = List.of(FREE, STANDARD, PROFESSIONAL);

    private Plans() {
    }

    /**
     * The plan with this name, ignoring case.
     *
     * @param key the configuration key the name came from, for the error message
     * @throws IllegalArgumentException naming the key and the plans there are
     */
    static Plan named(String key, String name) {
        String wanted = name == null ? "" : name.strip();
        for (Plan plan : ALL) {
            if (plan.name().toLowerCase(Locale.ROOT).equals(wanted.toLowerCase(Locale.ROOT))) {
                return plan;
            }
        }
        throw new IllegalArgumentException(key + " = '" + wanted + "' is not a plan of the sample host; use one of "
                + ALL.stream().map(Plan::name).collect(Collectors.joining(", ")) + ".");
    }
}
