package io.postroom.api.mailbox;

/** Which messages CRM linking keeps. */
public enum KeepPolicy {
    RECEIVED, SENT, BOTH;

    public boolean keepsReceived() {
        return this != SENT;
    }

    public boolean keepsSent() {
        return this != RECEIVED;
    }
}
