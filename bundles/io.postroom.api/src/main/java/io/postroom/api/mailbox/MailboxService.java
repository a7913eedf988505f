package io.postroom.api.mailbox;

import io.postroom.api.Actor;
import io.postroom.api.PostroomException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Connecting and configuring mailboxes. Every call names who acts; access rules are enforced here,
 * whatever interface (REST, shell, host code) calls. Failures are {@link PostroomException}s with a
 * stable code; nothing is saved half way.
 */
@ProviderType
public interface MailboxService {

    /** Known providers, "own domain" ({@code custom}) last. */
    List<Preset> presets();

    /**
     * Logs in to IMAP and SMTP with the given credentials and lists the server's folders. Saves
     * nothing.
     *
     * @throws io.postroom.api.ConnectionFailedException saying which step failed and why
     */
    ProbeResult probe(Actor actor, ConnectionRequest request);

    /**
     * Tests the connection again, checks plan limits and settings, saves the mailbox owned by the
     * actor and sends a verification code to its address through its own SMTP server.
     */
    Mailbox create(Actor actor, NewMailbox mailbox);

    /** Mailboxes the actor owns or that are shared with the actor, active and inactive. */
    List<Mailbox> list(Actor actor);

    Mailbox get(Actor actor, MailboxId id);

    /** Only the owner. A connection change is tested before it is saved. */
    Mailbox update(Actor actor, MailboxId id, SettingsUpdate settings, ConnectionUpdate connection);

    /** Logs in to both servers now; a failure counts towards deactivation. Owner only. */
    ConnectionTest test(Actor actor, MailboxId id);

    /**
     * Sends a new verification code to the mailbox's address (the previous one stops working).
     *
     * @return when the new code expires
     */
    Instant sendVerificationCode(Actor actor, MailboxId id);

    /** Confirms the address with the code the owner received. */
    Mailbox verify(Actor actor, MailboxId id, String code);

    /** Stops sync and sending, keeps history. The owner or a tenant admin. */
    Mailbox deactivate(Actor actor, MailboxId id, String reason);

    /** Tests the connection and checks plan limits and address uniqueness again. Owner only. */
    Mailbox activate(Actor actor, MailboxId id);

    /** Removes the mailbox and its settings. The owner or a tenant admin. */
    void delete(Actor actor, MailboxId id);

    /** Makes a mailbox the actor may send from the actor's default for sending. */
    Mailbox setDefaultForSending(Actor actor, MailboxId id);

    /** The actor's default mailbox for sending, if any. */
    Optional<Mailbox> defaultForSending(Actor actor);
}
