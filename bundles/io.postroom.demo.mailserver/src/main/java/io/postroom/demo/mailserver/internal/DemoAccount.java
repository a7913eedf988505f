package io.postroom.demo.mailserver.internal;

import io.postroom.api.EmailAddress;
import io.postroom.api.PostroomException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A mail account on the demo server. Its login is its address; its password is the part before
 * {@code @} unless the configuration gives one ({@code address:password}).
 */
record DemoAccount(EmailAddress address, String password, String displayName) {
    private static final Map<String, String> KNOWN_NAMES = Map.of(
            "alice", "Alice Archer",
            "bob", "Bob Baker",
            "carol", "Carol Carter");

    DemoAccount {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(displayName, "displayName");
    }

    String login() {
        return address.value();
    }

    String firstName() {
        int space = displayName.indexOf(' ');
        return space < 0 ? displayName : displayName.substring(0, space);
    }

    @Override
    public String toString() {
        return "DemoAccount[" + address + "]";
    }

    /**
     * Reads the {@code accounts} setting: addresses separated by commas, each optionally followed
     * by {@code :password}.
     *
     * @throws IllegalArgumentException saying which entry is wrong
     */
    static List<DemoAccount> parse(String accounts) {
        List<DemoAccount> result = new ArrayList<>();
        for (String entry : (accounts == null ? "" : accounts).split(",")) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int colon = e.indexOf(':');
            String addressText = colon < 0 ? e : e.substring(0, colon).strip();
            EmailAddress address;
            try {
                address = EmailAddress.of(addressText);
            } catch (PostroomException ex) {
                throw new IllegalArgumentException("accounts: " + ex.getMessage(), ex);
            }
            String password = colon < 0 ? address.localPart() : e.substring(colon + 1);
            if (password.isEmpty()) {
                throw new IllegalArgumentException("accounts: the password of " + address + " after ':' is empty.");
            }
            if (result.stream().anyMatch(a -> a.address().key().equals(address.key()))) {
                throw new IllegalArgumentException("accounts: " + address + " is listed twice.");
            }
            result.add(new DemoAccount(address, password, displayName(address.localPart())));
        }
        if (result.isEmpty()) {
            throw new IllegalArgumentException("accounts: list at least one address, such as alice@example.com.");
        }
        return List.copyOf(result);
    }

    private static String displayName(String localPart) {
        String known = KNOWN_NAMES.get(localPart.toLowerCase(Locale.ROOT));
        if (known != null) {
            return known;
        }
        return Character.toUpperCase(localPart.charAt(0)) + localPart.substring(1);
    }
}
