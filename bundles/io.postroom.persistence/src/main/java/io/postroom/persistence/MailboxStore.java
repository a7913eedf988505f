package io.postroom.persistence;

import io.postroom.api.EmailAddress;
import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Mailboxes, their shares, verification codes and each user's default mailbox for sending. Every
 * method is one transaction: it either happens completely or not at all. No access rules here: the
 * mailbox service decides who may do what; this store keeps the data and the invariants that need
 * the database (unique active address per tenant, plan limits under concurrency, versions).
 *
 * <p>"Counted against a user" means: an active mailbox the user owns or that is shared with them.
 *
 * @throws StoreException (from every method) when the database fails
 */
@ProviderType
public interface MailboxStore {

    /**
     * Inserts an active, unverified mailbox. In the same transaction it locks the rows of the
     * owner and of every user in {@code limits} (in a fixed order, so concurrent calls queue
     * instead of deadlocking), then checks each limit including the new mailbox. If the owner has
     * no default mailbox for sending yet, the new one becomes it.
     *
     * @throws DuplicateAddressException if the tenant has an active mailbox with the address
     * @throws LimitExceededException    if a user would exceed their limit
     */
    MailboxRecord create(MailboxDraft draft, Collection<UserLimit> limits);

    Optional<MailboxRecord> find(long id);

    /** The tenant's active mailbox with this address (case-insensitive), if any. */
    Optional<MailboxRecord> findActiveByAddress(TenantId tenant, EmailAddress address);

    /** Mailboxes the user owns or that are shared with the user, active and inactive, by address. */
    List<MailboxRecord> listOwnedOrSharedWith(TenantId tenant, UserId user);

    /** All mailboxes of a tenant, by address. */
    List<MailboxRecord> listByTenant(TenantId tenant);

    /** Active mailboxes of every tenant, by id: what the sync engine schedules. */
    List<MailboxRecord> listActive();

    /** Active mailboxes counted against the user (owned, or shared with them). */
    long countCountedAgainst(TenantId tenant, UserId user);

    /**
     * Writes the changeable fields of {@code changed} (connection, sealed password, settings with
     * shares, allowed senders and folders, state and reason, verified) if the row still has
     * {@code changed.version()}. The failure counter is not touched unless {@code resetFailures}
     * (then it is 0 and the last failure cleared). Limits are checked after the change under the
     * users' row locks, as in {@link #create}. {@code now} becomes the update time.
     *
     * @throws ConcurrentChangeException if the version differs
     * @throws RecordNotFoundException   if the mailbox is gone
     * @throws DuplicateAddressException if activating it clashes with another active mailbox
     * @throws LimitExceededException    if a user would exceed their limit
     */
    MailboxRecord update(MailboxRecord changed, Collection<UserLimit> limits, boolean resetFailures, Instant now);

    /** Deletes the mailbox with its shares, folders, code, and clears it as anyone's default. */
    boolean delete(long id);

    /**
     * A connection with the saved credentials succeeded: the failure counter goes back to 0 (the
     * last failure text is kept for reference). Does not change the version.
     *
     * @throws RecordNotFoundException if the mailbox is gone
     */
    MailboxRecord recordConnectionSuccess(long id);

    /**
     * A connection with the saved credentials failed: counts it and keeps its description. When
     * the count reaches {@code deactivateAfter} and the mailbox is active, it becomes inactive with
     * the description as reason (which changes the version). Concurrent calls are serialised by a
     * row lock, so no failure is lost.
     *
     * @throws RecordNotFoundException if the mailbox is gone
     */
    FailureOutcome recordConnectionFailure(long id, String description, int deactivateAfter, Instant now);

    /**
     * What the host's mailbox list shows about the sync: messages stored from the mailbox, the
     * last sync's start, end and error ({@link io.postroom.api.mailbox.MailboxStats#EMPTY} before the
     * first sync). Messages assigned to CRM records stay 0 until linking stores them.
     */
    io.postroom.api.mailbox.MailboxStats stats(long id);

    /** Stores a new verification code for the mailbox, replacing any previous one. */
    void replaceVerificationCode(VerificationCode code);

    Optional<VerificationCode> findVerificationCode(long mailboxId);

    /**
     * Checks a code under a row lock: {@code matches} decides whether the code entered matches the
     * stored one. A match verifies the mailbox and removes the code; a mismatch counts an attempt;
     * after {@code maxAttempts} wrong ones the code is void until a new one is stored. An expired
     * code is not compared.
     *
     * @throws RecordNotFoundException if the mailbox is gone
     */
    VerificationOutcome attemptVerification(long mailboxId, Predicate<VerificationCode> matches, int maxAttempts,
                                             Instant now);

    /** The user's default mailbox for sending, if set (and not deleted). */
    Optional<Long> defaultForSending(TenantId tenant, UserId user);

    /**
     * Makes the mailbox the user's default for sending.
     *
     * @throws RecordNotFoundException if the mailbox is gone or belongs to another tenant
     */
    void setDefaultForSending(TenantId tenant, UserId user, long mailboxId);
}
