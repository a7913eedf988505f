package io.postroom.api.mailbox;

import java.time.Instant;

/**
 * What the host shows in its mailbox list.
 *
 * @param messagesDownloaded messages stored from this mailbox
 * @param messagesAssigned   of those, messages linked to a CRM contact or company
 * @param lastSyncStarted    null before the first sync
 * @param lastSyncFinished   null before the first finished sync
 * @param lastSyncError      null when the last sync succeeded
 */
public record MailboxStats(long messagesDownloaded, long messagesAssigned, Instant lastSyncStarted,
                           Instant lastSyncFinished, String lastSyncError) {
    public static final MailboxStats EMPTY = new MailboxStats(0, 0, null, null, null);
}
