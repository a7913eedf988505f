package io.postroom.api.sync;

import io.postroom.api.Actor;
import io.postroom.api.mailbox.MailboxId;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Synchronisation of mailboxes. Runs happen on the plan's interval by themselves; these calls let
 * people ask for one now and watch it. Who may: the mailbox's owner, the users it is shared with,
 * and tenant admins.
 */
@ProviderType
public interface SyncService {

    /** "Download new messages now": queues a run at once; any node of a cluster picks it up. */
    SyncStatus syncNow(Actor actor, MailboxId mailbox);

    SyncStatus status(Actor actor, MailboxId mailbox);

    /** The last runs, newest first. */
    List<SyncRun> history(Actor actor, MailboxId mailbox, int limit);

    /** Messages in quarantine for a mailbox. */
    List<QuarantinedMessage> quarantine(Actor actor, MailboxId mailbox);

    /** Quarantined messages of all of the tenant's mailboxes; tenant admins only. */
    List<QuarantinedMessage> quarantine(Actor actor);

    /** Retries a mailbox's quarantined messages at its next run, including given-up ones. */
    SyncStatus retryQuarantined(Actor actor, MailboxId mailbox);
}
