package io.postroom.api.message;

/** Whether the mailbox's owner received or sent a message (from the folder and the From address). */
public enum Direction {
    RECEIVED, SENT
}
