package io.postroom.api.mailbox;

/**
 * A provider whose servers Postroom knows. The "own domain" preset has no servers: the user
 * enters them.
 *
 * @param id    stable id: {@code gmail}, {@code outlook}, {@code microsoft365}, {@code ukrnet}, {@code custom}
 * @param label for people
 * @param imap  the provider's IMAP server, or null for {@code custom}
 * @param smtp  the provider's SMTP server, or null for {@code custom}
 * @param hint  what the user must know (app passwords, IMAP to enable, ...); may be empty
 */
public record Preset(String id, String label, Endpoint imap, Endpoint smtp, String hint) {
    public static final String CUSTOM = "custom";

    public boolean custom() {
        return imap == null;
    }
}
