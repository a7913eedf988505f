package io.postroom.persistence;

import io.postroom.api.EmailAddress;
import io.postroom.api.TenantId;

/** Another active mailbox of the tenant has this address (compared case-insensitively). */
public class DuplicateAddressException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final transient TenantId tenant;
    private final transient EmailAddress address;

    public DuplicateAddressException(TenantId tenant, EmailAddress address, Throwable cause) {
        super("Tenant " + tenant + " already has an active mailbox " + address + ".", cause);
        this.tenant = tenant;
        this.address = address;
    }

    public TenantId tenant() {
        return tenant;
    }

    public EmailAddress address() {
        return address;
    }
}
