package io.postroom.protocol.internal;

import java.io.IOException;

/**
 * Thrown by the checked socket before it connects to an address the outbound policy forbids.
 * An {@link IOException} so that it travels through Angus Mail's socket code unchanged; the
 * message says what was refused and what an administrator can change.
 */
public final class OutboundPolicyException extends IOException {
    private static final long serialVersionUID = 1L;

    public OutboundPolicyException(String message) {
        super(message);
    }
}
