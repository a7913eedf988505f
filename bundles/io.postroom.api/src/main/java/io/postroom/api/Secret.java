package io.postroom.api;

import java.util.Arrays;

/**
 * A password or other credential on its way in. It never prints its value ({@link #toString()}
 * shows a mask) and is not {@code equals} to anything but itself, so it cannot leak through logs,
 * exceptions or serialised views by accident. Only the code that must hand it to a server or to
 * the cipher calls {@link #reveal()}.
 */
public final class Secret {
    private static final String MASK = "******";
    private char[] value;

    private Secret(char[] value) {
        this.value = value;
    }

    public static Secret of(String value) {
        return new Secret(value == null ? new char[0] : value.toCharArray());
    }

    public static Secret of(char[] value) {
        return new Secret(value == null ? new char[0] : value.clone());
    }

    public boolean isBlank() {
        for (char c : value) {
            if (!Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    public String reveal() {
        return new String(value);
    }

    /** Overwrites the value in memory; the secret is blank afterwards. */
    public void clear() {
        Arrays.fill(value, '\0');
        value = new char[0];
    }

    @Override
    public String toString() {
        return MASK;
    }
}
