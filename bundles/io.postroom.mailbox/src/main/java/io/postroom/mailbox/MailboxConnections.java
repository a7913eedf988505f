package io.postroom.mailbox;

import io.postroom.api.Actor;
import io.postroom.api.ConnectionFailure;
import io.postroom.api.mailbox.MailboxId;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the sync and send engines need from the mailbox bundle: which mailboxes to work on, how
 * to log in to them, and where to report how a connection went. These are system calls: they check
 * no actor's rights (except {@link #forSending}), so only Postroom's own engines may use them.
 *
 * <p>Connection results reported here feed the same counter as the owner's "test connection":
 * {@value #DEFAULT_DEACTIVATE_AFTER_FAILURES} consecutive failures (configurable) deactivate the
 * mailbox with the failure as reason and post {@code postroom/mailbox/DEACTIVATED} without a user.
 */
@ProviderType
public interface MailboxConnections {
    int DEFAULT_DEACTIVATE_AFTER_FAILURES = 10;

    /**
     * Every active mailbox of every tenant, with its owner's plan sync interval, in id order: what
     * the sync engine schedules. Inactive mailboxes are never listed (no sync while inactive).
     */
    List<SyncTarget> activeMailboxes();

    /**
     * How to connect to an active mailbox, with its decrypted password. Do not keep the result
     * longer than the connection needs it, and never log its credentials.
     *
     * @throws io.postroom.api.PostroomException MAILBOX_NOT_FOUND, or MAILBOX_INACTIVE
     */
    MailboxConnection connection(MailboxId id);

    /**
     * Like {@link #connection} for sending on behalf of a person: the actor must be the owner or a
     * user the mailbox is shared with and allowed to send from it, and the mailbox must be active
     * and verified.
     *
     * @throws io.postroom.api.PostroomException MAILBOX_NOT_FOUND (also when the actor may not see it),
     *                                           ACCESS_DENIED, MAILBOX_INACTIVE or MAILBOX_NOT_VERIFIED
     */
    MailboxConnection forSending(Actor actor, MailboxId id);

    /** A connection with the saved credentials worked: the failure counter goes back to 0. */
    void recordSuccess(MailboxId id);

    /**
     * A connection with the saved credentials failed: counts it (transient or not) and keeps its
     * description for the owner. The failure that reaches the limit deactivates the mailbox.
     *
     * @return the counter afterwards and whether this failure deactivated the mailbox
     */
    FailureRecord recordFailure(MailboxId id, ConnectionFailure failure);
}
