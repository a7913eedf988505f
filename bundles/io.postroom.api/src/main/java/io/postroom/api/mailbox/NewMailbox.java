package io.postroom.api.mailbox;

import java.util.Objects;

/** A mailbox to connect: how to reach it, and the settings chosen so far (null fields take defaults). */
public record NewMailbox(ConnectionRequest connection, SettingsUpdate settings) {
    public NewMailbox {
        Objects.requireNonNull(connection, "connection");
        settings = settings == null ? SettingsUpdate.NONE : settings;
    }
}
