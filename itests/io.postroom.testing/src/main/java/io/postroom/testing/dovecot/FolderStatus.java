package io.postroom.testing.dovecot;

/**
 * What the server says about one folder (an IMAP mailbox), read with {@code doveadm mailbox status}.
 *
 * @param messages       number of messages (EXISTS)
 * @param uidValidity    UIDVALIDITY
 * @param uidNext        UIDNEXT
 * @param highestModSeq  HIGHESTMODSEQ (RFC 7162)
 * @param unseen         messages without {@code \Seen}
 */
public record FolderStatus(long messages, long uidValidity, long uidNext, long highestModSeq, long unseen) {
}
