package io.postroom.api.mailbox;

import io.postroom.api.Secret;

/**
 * A change to how a saved mailbox connects: a null field stays as it is. Any change is tested
 * against the servers before it is saved, as on creation. The address itself cannot change:
 * connect a new mailbox instead.
 */
public record ConnectionUpdate(String username, Secret password,
                               String imapHost, Integer imapPort, Security imapSecurity,
                               String smtpHost, Integer smtpPort, Security smtpSecurity) {

    public static final ConnectionUpdate NONE = new ConnectionUpdate(null, null, null, null, null, null, null, null);

    public boolean isEmpty() {
        return username == null && password == null && imapHost == null && imapPort == null && imapSecurity == null
                && smtpHost == null && smtpPort == null && smtpSecurity == null;
    }
}
