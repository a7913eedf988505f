package io.postroom.persistence;

import io.postroom.api.TenantId;
import io.postroom.api.sync.QuarantinedMessage;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Messages that could not be stored. Entries are written and removed together with the batch
 * that met them ({@link MessageStore#write}); this store reads them and lets an operator retry.
 */
@ProviderType
public interface QuarantineStore {

    /** A mailbox's entries by folder and UID. */
    List<QuarantinedMessage> list(long mailboxId);

    /** The entries of all the tenant's mailboxes. */
    List<QuarantinedMessage> listByTenant(TenantId tenant);

    /** The entries of one folder (under that UIDVALIDITY) still to be retried automatically. */
    List<QuarantinedMessage> retryable(long mailboxId, String folder, long uidValidity);

    long count(long mailboxId);

    /** Makes every entry of the mailbox retryable again (attempts 0, not given up); returns how many. */
    int retryAll(long mailboxId);
}
