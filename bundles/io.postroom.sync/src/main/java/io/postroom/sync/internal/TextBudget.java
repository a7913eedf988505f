package io.postroom.sync.internal;

import io.postroom.mime.TextPart;
import io.postroom.sync.SyncSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much text one batch asks for: {@code batchKilobytes} of {@code io.postroom.sync}, and never
 * more than half of what one IMAP command's answer may hold on the run's connection
 * ({@link io.postroom.protocol.ImapConnection#answerLimitBytes()}, four times
 * {@code maxResponseMegabytes} of {@code io.postroom.protocol}). A larger batch would fail every
 * run of a large folder at its first full batch, whatever the messages; the other half is left for
 * the next batch's metadata, whose answer the server may send within the text answer (pipelined
 * FETCHes run together on Dovecot).
 *
 * <p>Against the answer's bound a message costs what the connection counts for it, not only its
 * text: the text bytes, the response's framing and its 512 bytes of parsed response
 * ({@link #RESPONSE_COST}), and for a message with several text parts the room Angus's buffer may
 * grow by after a literal ({@link #cost}). Against {@code batchKilobytes} a message counts its text
 * bytes, as before. The first message of a batch is always taken, however large: a message's text
 * is one response of at most the response limit, a quarter of the answer's bound.
 *
 * <p>One instance per run: the cap is logged once per run, at the first batch it made smaller than
 * {@code batchKilobytes} would have.
 */
final class TextBudget {
    private static final Logger LOG = LoggerFactory.getLogger(TextBudget.class);

    /**
     * What a message's text response costs beyond its text: the 512 bytes the connection counts
     * per response, the response's line ({@code * 12 FETCH (UID 345 BODY[1]<0> {n}}) and the slack
     * of Angus's buffer (16 bytes per literal, at least 256 bytes per growth).
     */
    static final long RESPONSE_COST = 1024;

    /**
     * The most Angus's reader grows a response's buffer by when the line goes on past a literal
     * ({@code ResponseInputStream}: the buffer's size, at most 256 KiB): a second text part's
     * {@code BODY[2]<0> {n}} does, and the growth counts towards the answer whether or not the next
     * literal fills it.
     */
    static final long GROWTH_STEP = 256 * 1024;

    private final long mailboxId;
    private final long batchBytes;
    private final long answerLimit;
    private final long answerBytes;
    private boolean capped;

    /**
     * @param batchBytes  {@link SyncSettings#batchBytes()}
     * @param answerLimit what one command's answer may hold on the run's connection
     */
    TextBudget(long mailboxId, long batchBytes, long answerLimit) {
        this.mailboxId = mailboxId;
        this.batchBytes = batchBytes;
        this.answerLimit = answerLimit;
        this.answerBytes = answerLimit / 2;
    }

    /** {@code batchKilobytes} alone: for connections that do not bound answers. */
    static TextBudget unbounded(long mailboxId, long batchBytes) {
        return new TextBudget(mailboxId, batchBytes, Long.MAX_VALUE);
    }

    /** The text bytes of a batch at most ({@code batchKilobytes}). */
    long batchBytes() {
        return batchBytes;
    }

    /** What a batch's messages may cost together ({@link #cost}): half of what one answer may hold. */
    long answerBytes() {
        return answerBytes;
    }

    /**
     * The text bytes a batch may hold at most, as far as both limits tell without knowing its
     * messages: the smaller of {@code batchKilobytes} and {@link #answerBytes()}. A message fetched
     * whole (without a usable structure) is one response of at most this.
     */
    long effectiveBytes() {
        return Math.min(batchBytes, answerBytes);
    }

    /** Whether the answer's bound is below {@code batchKilobytes}, i.e. batches may be capped. */
    boolean caps() {
        return answerBytes < batchBytes;
    }

    /**
     * What a message's text answer costs against the bound of one answer: nothing without text to
     * fetch (no response); else its text bytes (a part of unknown size as its fetch limit),
     * {@link #RESPONSE_COST}, and for each further text part one growth of Angus's buffer, as the
     * line goes on past a literal: at most the message's text, at most {@link #GROWTH_STEP} (the
     * server may send the parts in any order).
     */
    static long cost(Fetched f) {
        if (f.selection == null || f.selection.parts().isEmpty()) {
            return 0;
        }
        long text = 0;
        for (TextPart part : f.selection.parts()) {
            long size = part.part().size();
            text += size < 0 ? part.fetchLimit() : Math.min(size, part.fetchLimit());
        }
        long growth = (f.selection.parts().size() - 1) * Math.min(text, GROWTH_STEP);
        return text + RESPONSE_COST + growth;
    }

    /** The running total of one batch (or one command of it). */
    Tally tally() {
        return new Tally();
    }

    /** The messages of one batch so far, against both limits. */
    final class Tally {
        private long text;
        private long cost;
        private int messages;

        /**
         * Takes {@code f} into the batch when it fits both limits; the first message always fits.
         * When only the answer's bound keeps it out, the cap is logged (once per run).
         */
        boolean take(Fetched f) {
            long t = f.textBytes();
            long c = cost(f);
            if (messages > 0) {
                boolean byBytes = text + t > batchBytes;
                boolean byAnswer = cost + c > answerBytes;
                if (byBytes || byAnswer) {
                    if (!byBytes) {
                        cap();
                    }
                    return false;
                }
            }
            text += t;
            cost += c;
            messages++;
            return true;
        }

        int messages() {
            return messages;
        }
    }

    /** Whether the answer's bound made a batch of this run smaller than {@code batchKilobytes} would have. */
    boolean capped() {
        return capped;
    }

    private void cap() {
        if (capped) {
            return;
        }
        capped = true;
        LOG.info("Mailbox {}: text batches are kept within {}, below batchKilobytes={} of {}: one IMAP answer may hold at"
                + " most {} on this connection (four times maxResponseMegabytes of io.postroom.protocol) and a batch's"
                + " texts stay within half of it. Nothing is left out; smaller batches cost more round trips. To silence"
                + " this, lower batchKilobytes or raise maxResponseMegabytes.", mailboxId, size(answerBytes),
                batchBytes / 1024, SyncConfig.PID, size(answerLimit));
    }

    private static String size(long bytes) {
        if (bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return bytes % 1024 == 0 ? (bytes >> 10) + " KiB" : String.format(java.util.Locale.ROOT, "%,d bytes", bytes);
    }
}
