package io.postroom.rest.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Slows down password guessing over HTTP Basic: after {@code maxFailures} refused sign-ins in a
 * row of one user name from one address, that pair must wait {@code firstLock}, doubled with every
 * further refusal, up to {@code maxLock}; a successful sign-in clears it. While it waits, the
 * realm is not asked at all, so the answer says nothing about the password. Keyed by user name
 * and address, so that a stranger guessing from elsewhere does not lock the user out. The table is
 * bounded (the least recently used pairs are forgotten), so that made-up names cannot fill memory.
 */
final class LoginThrottle {
    static final int MAX_ENTRIES = 10_000;

    private final int maxFailures;
    private final Duration firstLock;
    private final Duration maxLock;
    private final Clock clock;
    private final Map<String, Failures> failures = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    private static final class Failures {
        int count;
        Instant lockedUntil = Instant.MIN;
    }

    /**
     * @param maxFailures refusals in a row before the first wait; 0 turns the throttle off
     */
    LoginThrottle(int maxFailures, Duration firstLock, Duration maxLock, Clock clock) {
        if (maxFailures < 0 || firstLock.isNegative() || maxLock.compareTo(firstLock) < 0) {
            throw new IllegalArgumentException("io.postroom.rest: login throttle needs maxFailures >= 0 and"
                    + " 0 <= lock seconds <= maximum lock seconds");
        }
        this.maxFailures = maxFailures;
        this.firstLock = firstLock;
        this.maxLock = maxLock;
        this.clock = clock;
    }

    /** How long this user name from this address must still wait before the realm is asked; zero if not. */
    synchronized Duration waitFor(String user, String address) {
        Failures f = failures.get(key(user, address));
        if (f == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), f.lockedUntil);
        return left.isNegative() || left.isZero() ? Duration.ZERO : roundUp(left);
    }

    /** Records a refused sign-in; the wait it starts (zero while under the limit). */
    synchronized Duration refused(String user, String address) {
        if (maxFailures == 0) {
            return Duration.ZERO;
        }
        Failures f = failures.computeIfAbsent(key(user, address), k -> new Failures());
        f.count++;
        if (f.count < maxFailures) {
            return Duration.ZERO;
        }
        int doublings = Math.min(f.count - maxFailures, 30);
        Duration lock = firstLock.multipliedBy(1L << doublings);
        if (lock.compareTo(maxLock) > 0) {
            lock = maxLock;
        }
        f.lockedUntil = clock.instant().plus(lock);
        return lock;
    }

    synchronized void succeeded(String user, String address) {
        failures.remove(key(user, address));
    }

    synchronized int size() {
        return failures.size();
    }

    private static String key(String user, String address) {
        return user.toLowerCase(Locale.ROOT) + '\n' + (address == null ? "" : address);
    }

    private static Duration roundUp(Duration d) {
        long seconds = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return Duration.ofSeconds(Math.max(1, seconds));
    }
}
