package io.postroom.persistence;

import io.postroom.api.EmailAddress;
import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.MailboxSettings;
import io.postroom.api.mailbox.MailboxState;
import java.time.Instant;
import java.util.Objects;

/**
 * A stored mailbox. {@link #version()} is the optimistic-lock version: pass the record back to
 * {@link MailboxStore#update} and the store refuses it if the row changed meanwhile.
 *
 * @param sealedPassword the password as the secret cipher sealed it; {@link #toString()} never shows it
 * @param consecutiveFailures failed connections in a row (written only by the record-failure/success calls)
 * @param lastFailure         the last connection failure's description, or null
 */
public record MailboxRecord(long id, long version, TenantId tenant, UserId owner, EmailAddress address, String preset,
                            String username, String sealedPassword, Endpoint imap, Endpoint smtp,
                            MailboxSettings settings, MailboxState state, String inactiveReason, boolean verified,
                            int consecutiveFailures, String lastFailure, Instant createdAt, Instant updatedAt) {
    public MailboxRecord {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(state, "state");
    }

    public boolean active() {
        return state == MailboxState.ACTIVE;
    }

    /** Whether the user owns the mailbox or it is shared with the user. */
    public boolean hasMember(UserId user) {
        return owner.equals(user) || settings.sharedWith().contains(user);
    }

    public MailboxRecord withConnection(String newUsername, String newSealedPassword, Endpoint newImap, Endpoint newSmtp) {
        return new MailboxRecord(id, version, tenant, owner, address, preset, newUsername, newSealedPassword, newImap,
                newSmtp, settings, state, inactiveReason, verified, consecutiveFailures, lastFailure, createdAt, updatedAt);
    }

    public MailboxRecord withSettings(MailboxSettings newSettings) {
        return new MailboxRecord(id, version, tenant, owner, address, preset, username, sealedPassword, imap, smtp,
                newSettings, state, inactiveReason, verified, consecutiveFailures, lastFailure, createdAt, updatedAt);
    }

    /** Active (reason ignored) or inactive with a reason. */
    public MailboxRecord withState(MailboxState newState, String reason) {
        return new MailboxRecord(id, version, tenant, owner, address, preset, username, sealedPassword, imap, smtp,
                settings, newState, newState == MailboxState.ACTIVE ? null : reason, verified, consecutiveFailures,
                lastFailure, createdAt, updatedAt);
    }

    public MailboxRecord withVerified(boolean newVerified) {
        return new MailboxRecord(id, version, tenant, owner, address, preset, username, sealedPassword, imap, smtp,
                settings, state, inactiveReason, newVerified, consecutiveFailures, lastFailure, createdAt, updatedAt);
    }

    @Override
    public String toString() {
        return "MailboxRecord[id=" + id + ", version=" + version + ", " + tenant + "/" + owner + " " + address
                + ", " + state + (verified ? ", verified" : ", unverified") + ", imap=" + imap + ", smtp=" + smtp
                + ", failures=" + consecutiveFailures + "]";
    }
}
