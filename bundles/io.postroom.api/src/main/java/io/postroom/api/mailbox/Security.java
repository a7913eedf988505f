package io.postroom.api.mailbox;

/** How a connection to a mail server is protected. */
public enum Security {
    /** TLS from the first byte (IMAPS 993, SMTPS 465). */
    SSL(993, 465),
    /** Plain connection upgraded with STARTTLS, which is required (IMAP 143, submission 587). */
    STARTTLS(143, 587),
    /** No TLS at all. Only for hosts the administrator's outbound policy allows in plain text. */
    NONE(143, 25);

    private final int imapPort;
    private final int smtpPort;

    Security(int imapPort, int smtpPort) {
        this.imapPort = imapPort;
        this.smtpPort = smtpPort;
    }

    /** The standard IMAP port for this security: what a blank port means. */
    public int defaultImapPort() {
        return imapPort;
    }

    /** The standard SMTP port for this security: what a blank port means. */
    public int defaultSmtpPort() {
        return smtpPort;
    }
}
