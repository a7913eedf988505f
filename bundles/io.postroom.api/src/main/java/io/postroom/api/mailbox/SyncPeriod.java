package io.postroom.api.mailbox;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import java.time.Period;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** How far back a mailbox is synchronised. Only these periods are offered. */
public enum SyncPeriod {
    DAYS_7("7d", Period.ofDays(7)),
    DAYS_14("14d", Period.ofDays(14)),
    MONTH_1("1m", Period.ofMonths(1)),
    MONTHS_3("3m", Period.ofMonths(3)),
    YEAR_1("1y", Period.ofYears(1));

    public static final SyncPeriod DEFAULT = DAYS_14;

    private final String token;
    private final Period period;

    SyncPeriod(String token, Period period) {
        this.token = token;
        this.period = period;
    }

    /** Short form used by REST and the shell: {@code 7d 14d 1m 3m 1y}. */
    public String token() {
        return token;
    }

    public Period period() {
        return period;
    }

    /** Accepts the token ({@code 14d}) or the name ({@code DAYS_14}). */
    public static SyncPeriod parse(String text) {
        String t = text == null ? "" : text.strip();
        for (SyncPeriod p : values()) {
            if (p.token.equalsIgnoreCase(t) || p.name().equalsIgnoreCase(t)) {
                return p;
            }
        }
        String offered = Arrays.stream(values()).map(SyncPeriod::token).collect(Collectors.joining(", "));
        throw new PostroomException(ErrorCode.SYNC_PERIOD_NOT_OFFERED,
                "The sync period '" + t + "' is not offered; choose one of " + offered + ".",
                Map.of("field", "syncPeriod", "offered", offered));
    }

    @Override
    public String toString() {
        return token.toLowerCase(Locale.ROOT);
    }
}
