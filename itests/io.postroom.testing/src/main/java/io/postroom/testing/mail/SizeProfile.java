package io.postroom.testing.mail;

/** How big generated messages are. */
public enum SizeProfile {
    /**
     * Like a business mailbox: most messages 2-40 KB (plain text or text + HTML; median about
     * 15 KB), about a fifth with 1-3 attachments of 5-300 KB, and a tail of 0.5-3 MB attachments
     * (about 1 % of all messages; the largest messages reach about 5 MB). About 90 KB per
     * message on average (10,000 messages ≈ 0.9 GB), close to the mixed mailbox the protocol
     * notes measured (10,000 messages, 796 MB).
     */
    REALISTIC(1_500, 14_000, 5_000, 300_000, 5, 500_000, 3_000_000),
    /**
     * Same structure, small: text of 300 B-4 KB, attachments of 0.5-8 KB, no large tail. About
     * 7 KB per message: for functional tests with many messages (100,000 ≈ 0.7 GB).
     */
    SMALL(300, 4_000, 500, 8_000, 0, 0, 0);

    final int minText;
    final int maxText;
    final int minAttachment;
    final int maxAttachment;
    final int largePercent;
    final int minLarge;
    final int maxLarge;

    SizeProfile(int minText, int maxText, int minAttachment, int maxAttachment, int largePercent, int minLarge, int maxLarge) {
        this.minText = minText;
        this.maxText = maxText;
        this.minAttachment = minAttachment;
        this.maxAttachment = maxAttachment;
        this.largePercent = largePercent;
        this.minLarge = minLarge;
        this.maxLarge = maxLarge;
    }
}
