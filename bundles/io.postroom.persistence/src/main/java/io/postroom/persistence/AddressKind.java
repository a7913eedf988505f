package io.postroom.persistence;

/** The header an address came from. */
public enum AddressKind {
    FROM, SENDER, TO, CC, BCC, REPLY_TO
}
