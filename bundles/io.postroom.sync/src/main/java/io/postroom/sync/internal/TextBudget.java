package io.postroom.sync.internal;

import io.postroom.mime.TextSelection;
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
 * <p>A message's text is one FETCH response, and one response may hold only so much
 * ({@link io.postroom.protocol.ImapConnection#responseLimitBytes()}, {@code maxResponseMegabytes}):
 * a message whose selected text would not fit asks for less ({@link #fit}), each part keeping its
 * beginning, and is stored flagged {@code TRUNCATED_TEXT}; with the default limits (64 MiB, 4 MiB of
 * text per message) nothing is ever cut here.
 *
 * <p>One instance per run: the cap and the cut are logged once per run each, at the first batch
 * (message) they made smaller than the settings would have.
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

    /**
     * What one text response holds beyond its literals, at most: its line ({@code * 12 FETCH (UID
     * 345 ... )}), a FLAGS or MODSEQ the server may add, and the 512 bytes the connection counts.
     */
    static final long RESPONSE_FRAMING = 2048;

    /**
     * What each text part adds to its response beyond its text, at most: its item
     * ({@code BODY[1.2]<0> {1048576}}) and the slack Angus's buffer keeps after a literal (16 bytes,
     * 256 when it grows by its smallest step).
     */
    static final long PART_FRAMING = 320;

    private final long mailboxId;
    private final long batchBytes;
    private final long responseLimit;
    private final long answerLimit;
    private final long answerBytes;
    private boolean capped;
    private boolean cut;

    /**
     * @param batchBytes    {@link SyncSettings#batchBytes()}
     * @param responseLimit what one IMAP response may hold on the run's connection
     * @param answerLimit   what one command's answer may hold on the run's connection
     */
    TextBudget(long mailboxId, long batchBytes, long responseLimit, long answerLimit) {
        this.mailboxId = mailboxId;
        this.batchBytes = batchBytes;
        this.responseLimit = responseLimit;
        this.answerLimit = answerLimit;
        this.answerBytes = answerLimit / 2;
    }

    /** {@code batchKilobytes} alone: for connections that do not bound responses or answers. */
    static TextBudget unbounded(long mailboxId, long batchBytes) {
        return new TextBudget(mailboxId, batchBytes, Long.MAX_VALUE, Long.MAX_VALUE);
    }

    /**
     * The text one response may hold in {@code parts} literals, all parts together: the response
     * limit less the framing ({@link #RESPONSE_FRAMING}, {@link #PART_FRAMING} per part) and, with
     * more than one part, the most Angus's buffer grows by when the line goes on past a literal (its
     * size, at most {@link #GROWTH_STEP}), as that growth must fit too even when the next literal is
     * shorter. Zero when not even the framing fits.
     */
    static long textWithin(long responseLimit, int parts) {
        long framing = RESPONSE_FRAMING + parts * PART_FRAMING;
        long text;
        if (parts <= 1) {
            text = responseLimit - framing;
        } else if (responseLimit >= 2 * GROWTH_STEP) {
            text = responseLimit - GROWTH_STEP - framing; // the buffer is past 256 KiB when it grows
        } else {
            text = responseLimit / 2 - framing; // it may double
        }
        return Math.max(0, text);
    }

    /**
     * The text selection of a message within one response on this connection ({@link #textWithin}):
     * as it is when it fits (always, with the default limits); else each part's fetch limit lowered
     * ({@link TextSelection#within}), the message flagged {@code TRUNCATED_TEXT} where a part is cut,
     * and the cut logged (once per run). Null when not even one octet per part fits: the message
     * cannot be fetched on this connection.
     */
    TextSelection fit(TextSelection selection) {
        int parts = selection.parts().size();
        if (parts == 0) {
            return selection;
        }
        long within = textWithin(responseLimit, parts);
        if (selection.fetchBytes() <= within) {
            return selection;
        }
        if (within < parts) {
            return null;
        }
        if (!cut) {
            cut = true;
            LOG.info("Mailbox {}: a message's text ({} in {} parts) is cut to {} to fit one IMAP response of at most {} on"
                    + " this connection (maxResponseMegabytes of io.postroom.protocol); such messages are stored with the"
                    + " beginning of their text, flagged TRUNCATED_TEXT. To keep more, raise maxResponseMegabytes.",
                    mailboxId, size(selection.fetchBytes()), parts, size(within), size(responseLimit));
        }
        return selection.within(within);
    }

    /** What one IMAP response may hold on the run's connection. */
    long responseLimit() {
        return responseLimit;
    }

    /** Whether a message's text was cut in this run to fit one response. */
    boolean cut() {
        return cut;
    }

    /**
     * Octets of a whole message (without a usable structure) fetched at most: a batch's text bytes
     * ({@link #effectiveBytes()}), and one response's single literal.
     */
    long wholeMessageBytes() {
        return Math.min(effectiveBytes(), textWithin(responseLimit, 1));
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
        long text = f.selection.fetchBytes();
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
