package io.postroom.protocol;

import io.postroom.protocol.internal.DefaultMailConnector;

/**
 * Creates {@link MailConnector}s outside OSGi (tests, tools). Inside Karaf, use the
 * {@code MailConnector} service, configured through {@code io.postroom.protocol}.
 */
public final class MailConnectors {

    private MailConnectors() {
    }

    /** A connector with the given timeouts and outbound policy; see {@link ConnectorConfig#defaults()}. */
    public static MailConnector create(ConnectorConfig config) {
        return new DefaultMailConnector(config);
    }
}
