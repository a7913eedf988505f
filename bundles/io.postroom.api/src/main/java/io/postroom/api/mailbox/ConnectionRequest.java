package io.postroom.api.mailbox;

import io.postroom.api.Secret;

/**
 * What a user types to connect an account. Blank fields take the preset's value; a blank port takes
 * the standard port of the chosen security; a blank user name is the address.
 *
 * @param preset       a {@link Preset#id()}; blank means {@code custom}
 * @param address      the account's e-mail address
 * @param username     login name if it differs from the address
 * @param password     the password or app password
 * @param imapHost     required for {@code custom}
 * @param imapPort     1-65535, or null for the standard port
 * @param imapSecurity null for the preset's, or SSL for {@code custom}
 * @param smtpHost     required for {@code custom}
 * @param smtpPort     1-65535, or null for the standard port
 * @param smtpSecurity null for the preset's, or STARTTLS for {@code custom}
 */
public record ConnectionRequest(String preset, String address, String username, Secret password,
                                String imapHost, Integer imapPort, Security imapSecurity,
                                String smtpHost, Integer smtpPort, Security smtpSecurity) {

    /** A request for a known provider: only address and password. */
    public static ConnectionRequest ofPreset(String preset, String address, Secret password) {
        return new ConnectionRequest(preset, address, null, password, null, null, null, null, null, null);
    }
}
