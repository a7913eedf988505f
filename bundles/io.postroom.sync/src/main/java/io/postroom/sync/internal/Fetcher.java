package io.postroom.sync.internal;

import io.postroom.mime.MimeParser;
import io.postroom.mime.ParseProblem;
import io.postroom.mime.TextPart;
import io.postroom.mime.TextSelection;
import io.postroom.sync.internal.Imap.ImapException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.BODYSTRUCTURE;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;
import org.eclipse.angus.mail.imap.protocol.Item;
import org.eclipse.angus.mail.imap.protocol.MODSEQ;
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.UID;

/**
 * Downloads what the sync stores of each message, never an attachment:
 * {@code UID FETCH set (UID FLAGS INTERNALDATE RFC822.SIZE BODYSTRUCTURE BODY.PEEK[HEADER]<0.H>)},
 * then the text parts the parser selects, grouped so that messages needing the same parts share
 * one command, capped per part ({@code BODY.PEEK[1]<0.N>}) and bounded in bytes per command.
 *
 * <p>The header block is capped too ({@link #headerBytes()}): a message with a header of hundreds
 * of megabytes would otherwise be read whole, in a batch of up to 200 such messages. A header cut
 * at the cap is stored as far as it goes, flagged {@code TRUNCATED_HEADER}; its fingerprint (for a
 * message without Message-ID) is taken over the same first bytes at every fetch, the UIDVALIDITY
 * re-match's included, so it stays stable (while the cap stays; with the default cap, the parser
 * read exactly these bytes before the cap existed, so stored fingerprints stay valid too).
 *
 * <p>A command the server refuses (NO/BAD), for the metadata or the text, is split until the one
 * message it fails on is found; that message gets a failure (quarantine). A message whose body
 * structure the server cannot describe (or Angus cannot read) is fetched once more on its own: its
 * beginning as a whole message, parsed by the whole-message path. A message that is not in the
 * answer at all was expunged meanwhile and is left out.
 */
final class Fetcher {
    private final Imap imap;
    private final MimeParser parser;
    private final TextBudget budget;
    private final int headerBytes;
    private String meta;
    private String basics;

    /**
     * @param maxHeaderBytes the sync's header cap; the parser's own ({@code maxHeaderBytes} of its
     *                       options) applies as well, and the smaller one is fetched: the parser
     *                       would not read further anyway; and a quarter of the response limit
     */
    Fetcher(Imap imap, MimeParser parser, TextBudget budget, int maxHeaderBytes) {
        this.imap = imap;
        this.parser = parser;
        this.budget = budget;
        // and at most a quarter of what one response may hold: the header is one literal of the metadata response,
        // with the body structure (only below 4 MiB a response, as the default cap is 1 MiB)
        this.headerBytes = (int) Math.min(Math.min(maxHeaderBytes, parser.options().maxHeaderBytes()),
                Math.max(io.postroom.sync.SyncSettings.MIN_HEADER_BYTES, budget.responseLimit() / 4));
        modSeqs(false);
    }

    /** A fetcher whose batches are bounded by {@code batchBytes} alone (a connection that does not bound answers). */
    Fetcher(Imap imap, MimeParser parser, long batchBytes, int maxHeaderBytes) {
        this(imap, parser, TextBudget.unbounded(0, batchBytes), maxHeaderBytes);
    }

    /** How much text one batch (and one text command) asks for. */
    TextBudget budget() {
        return budget;
    }

    /** Octets of a header block fetched at most. */
    int headerBytes() {
        return headerBytes;
    }

    /** The FETCH item for the header block, capped: {@code BODY.PEEK[HEADER]<0.H>}. */
    String headerItem() {
        return "BODY.PEEK[HEADER]<0." + headerBytes + ">";
    }

    /**
     * Octets of the Message-ID field fetched at most ({@link #messageIdItem()}): four times the
     * longest line mail may have (998 characters), so that a command's answer for many messages
     * can be sized by it. A longer (hostile) field is cut, its message matched as one without.
     */
    static final int MESSAGE_ID_BYTES = 4096;

    /** The FETCH item for the Message-ID field alone, capped ({@link #MESSAGE_ID_BYTES}). */
    String messageIdItem() {
        return "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]<0." + Math.min(headerBytes, MESSAGE_ID_BYTES) + ">";
    }

    /**
     * What one response of a header fetch ({@code UID} and {@link #headerItem()}) costs at most
     * against the answer's bound: the header block, its line and Angus's slack, and the 512 bytes the
     * connection counts.
     */
    long headerResponse() {
        return headerBytes + 2560L;
    }

    /**
     * Whether a header block fetched with {@link #headerItem()} was cut: as long as the cap and not
     * ending with the blank line that ends a header (a header of exactly the cap ends with it).
     */
    static boolean cut(byte[] header, int cap) {
        int n = header.length;
        if (n < cap) {
            return false;
        }
        boolean endsWithBlankLine = n >= 2 && header[n - 1] == '\n'
                && (header[n - 2] == '\n' || n >= 3 && header[n - 2] == '\r' && header[n - 3] == '\n');
        return !endsWithBlankLine;
    }

    /**
     * Whether the selected folder has mod-sequences: MODSEQ is asked only then. A server with
     * CONDSTORE may still answer EXAMINE with {@code [NOMODSEQ]} for a folder, and then refuses
     * every FETCH that asks MODSEQ (RFC 7162, 3.1.2.2).
     */
    void modSeqs(boolean folderHasModSeqs) {
        String modseq = folderHasModSeqs ? " MODSEQ" : "";
        this.meta = "UID FLAGS INTERNALDATE RFC822.SIZE BODYSTRUCTURE " + headerItem() + modseq;
        this.basics = "UID FLAGS INTERNALDATE RFC822.SIZE" + modseq;
    }

    /** Metadata, header and structure of each message still on the server, in the order given. */
    List<Fetched> meta(List<Long> uids) throws ImapException {
        Map<Long, Fetched> found = new LinkedHashMap<>();
        List<List<Long>> chunks = metaChunks(uids);
        if (chunks.size() == 1) {
            metaInto(uids, found);
        } else {
            // several commands, sent at once (one round trip), as in textsAndMeta
            List<String> commands = chunks.stream().map(this::metaCommand).toList();
            Imap.Pipelined round = imap.pipeline(commands);
            if (round.lost() != null) {
                throw round.lost();
            }
            Set<Long> wanted = new HashSet<>(uids);
            for (Response[] answer : round.answers()) {
                for (Response r : answer) {
                    UID u = r instanceof FetchResponse f ? f.getItem(UID.class) : null;
                    if (u != null && wanted.contains(u.uid)) {
                        absorb((FetchResponse) r, found, true);
                    }
                }
            }
            checkMeta(chunks, commands, round.answers(), 0, found);
        }
        return complete(uids, found);
    }

    /**
     * The metadata commands for {@code uids}: as many messages in one as keep its answer well inside
     * what the connection lets one answer hold ({@link Imap#messagesPerAnswer}), each response
     * reckoned at {@link #headerResponse()} (its header is the large part). Where items follow the
     * header's literal on its line, Angus's buffer may grow once more, by at most the header's size:
     * a response then costs up to twice that, which the half of the answer left free holds. With the default limits
     * a batch of 200 messages takes two commands; below them, more. One command for all would fail
     * the whole run at a batch of long headers (about 20 KB each at a 1 MiB response limit), on every
     * attempt, until the mailbox is deactivated.
     */
    private List<List<Long>> metaChunks(List<Long> uids) {
        int per = (int) Math.max(1, Math.min(uids.size(), imap.messagesPerAnswer(headerResponse())));
        List<List<Long>> chunks = new ArrayList<>((uids.size() + per - 1) / per);
        for (int i = 0; i < uids.size(); i += per) {
            chunks.add(uids.subList(i, Math.min(uids.size(), i + per)));
        }
        return chunks;
    }

    private String metaCommand(List<Long> uids) {
        return "UID FETCH " + UidSets.of(uids) + " (" + meta + ")";
    }

    /**
     * The tagged results of pipelined metadata commands ({@code commands} from {@code first} on, one
     * per chunk): a refused one is done again the careful way, in halves until the message it fails on
     * is found (its messages' partial answers dropped first).
     */
    private void checkMeta(List<List<Long>> chunks, List<String> commands, List<Response[]> answers, int first,
                           Map<Long, Fetched> found) throws ImapException {
        for (int i = 0; i < chunks.size(); i++) {
            try {
                imap.check(commands.get(first + i), answers.get(first + i));
            } catch (ImapException e) {
                if (!e.refused()) {
                    throw e;
                }
                chunks.get(i).forEach(found::remove);
                metaRefused(chunks.get(i), e, found);
            }
        }
    }

    /** The fetched metadata in the order asked; a message without a usable structure fetched again on its own. */
    private List<Fetched> complete(List<Long> uids, Map<Long, Fetched> found) throws ImapException {
        List<Fetched> result = new ArrayList<>(uids.size());
        for (long uid : uids) {
            Fetched f = found.get(uid);
            if (f != null && f.failure != null) {
                result.add(f);
            } else if (f == null || f.header == null || f.structure == null || f.selection == null) {
                Fetched again = fallback(uid);
                if (again != null) {
                    result.add(again);
                }
            } else {
                result.add(f);
            }
        }
        return result;
    }

    private void metaInto(List<Long> uids, Map<Long, Fetched> found) throws ImapException {
        List<FetchResponse> responses;
        try {
            responses = imap.uidFetch(UidSets.of(uids), meta);
        } catch (ImapException e) {
            if (!e.refused()) {
                throw e;
            }
            metaRefused(uids, e, found);
            return;
        }
        for (FetchResponse r : responses) {
            absorb(r, found, true);
        }
    }

    /**
     * A metadata command the server refused: again in halves until the message it fails on is
     * found, which gets the server's answer as its failure (quarantine).
     */
    private void metaRefused(List<Long> uids, ImapException e, Map<Long, Fetched> found) throws ImapException {
        if (uids.size() == 1) {
            Fetched f = new Fetched(uids.get(0));
            f.failure = "The server refused to send the message: " + e.getMessage();
            found.put(f.uid(), f);
            return;
        }
        int half = uids.size() / 2;
        metaInto(uids.subList(0, half), found);
        metaInto(uids.subList(half, uids.size()), found);
    }

    private void absorb(FetchResponse r, Map<Long, Fetched> found, boolean structure) {
        UID u = r.getItem(UID.class);
        if (u == null) {
            return; // an unsolicited FETCH (flags of another message)
        }
        Fetched f = found.computeIfAbsent(u.uid, Fetched::new);
        for (int i = 0; i < r.getItemCount(); i++) {
            Item item = r.getItem(i);
            if (item instanceof FLAGS flags) {
                f.flags = Imap.flags(flags);
            } else if (item instanceof INTERNALDATE d && d.getDate() != null) {
                f.internalDate = d.getDate().toInstant();
            } else if (item instanceof RFC822SIZE s) {
                f.size = s.size;
            } else if (item instanceof MODSEQ m) {
                f.modSeq = m.modseq > 0 ? m.modseq : null;
            } else if (item instanceof BODYSTRUCTURE bs && structure) {
                try {
                    f.structure = parser.structure(bs);
                    f.selection = parser.selectText(f.structure);
                } catch (RuntimeException | StackOverflowError e) {
                    f.structure = null;
                    f.selection = null;
                }
                if (f.selection != null) {
                    // a message's text is one response: within what one response may hold, cut where it must be
                    TextSelection fitted = budget.fit(f.selection);
                    if (fitted == null) {
                        f.failure = "The message's text (" + f.selection.parts().size() + " parts) cannot be fetched within"
                                + " one IMAP response on this connection; raise maxResponseMegabytes of io.postroom.protocol.";
                    } else {
                        f.selection = fitted;
                    }
                }
            } else if (item instanceof BODY body) {
                String section = body.getSection() == null ? "" : body.getSection().toUpperCase(Locale.ROOT);
                if (section.equals("HEADER")) {
                    // "BODY[HEADER]<0>" for the partial fetch: the section is still HEADER (Angus keeps the origin apart)
                    f.header = bytes(body);
                    if (cut(f.header, headerBytes)) {
                        f.problems.add(ParseProblem.TRUNCATED_HEADER.name());
                    }
                } else if (section.isEmpty()) {
                    f.whole = bytes(body);
                } else {
                    f.texts.put(body.getSection(), bytes(body));
                }
            }
        }
    }

    /** Octets of a whole message fetched at most, whatever the batch setting (see {@link #wholeMessageLimit}). */
    static final long WHOLE_MESSAGE_BYTES = 8L << 20;

    /**
     * How much of a message without a usable structure is fetched for the whole-message path: its
     * size, at most a batch's text bytes and what one response may hold
     * ({@link TextBudget#wholeMessageBytes()}) and at most {@link #WHOLE_MESSAGE_BYTES}, so that no
     * setting ever asks for a response beyond the connector's response limit (64 MiB by default),
     * which would fail every run at that message instead of storing its beginning.
     */
    static long wholeMessageLimit(long size, long batchBytes) {
        long cap = Math.max(1, Math.min(batchBytes, WHOLE_MESSAGE_BYTES));
        return size > 0 ? Math.min(size, cap) : cap;
    }

    private static byte[] bytes(BODY body) {
        ByteArray ba = body.getByteArray();
        return ba == null ? new byte[0] : ba.getNewBytes();
    }

    /** The message once more on its own, as the beginning of the whole message; null when it is gone. */
    private Fetched fallback(long uid) throws ImapException {
        Map<Long, Fetched> found = new LinkedHashMap<>();
        String set = Long.toString(uid);
        try {
            for (FetchResponse r : imap.uidFetch(set, basics)) {
                absorb(r, found, false);
            }
        } catch (ImapException e) {
            if (!e.refused()) {
                throw e;
            }
            Fetched f = new Fetched(uid);
            f.failure = "The server refused to describe the message: " + e.getMessage();
            return f;
        }
        Fetched f = found.get(uid);
        if (f == null) {
            return null; // expunged meanwhile
        }
        long limit = wholeMessageLimit(f.size, budget.wholeMessageBytes());
        try {
            for (FetchResponse r : imap.uidFetch(set, "UID BODY.PEEK[]<0." + limit + ">")) {
                absorb(r, found, false);
            }
        } catch (ImapException e) {
            if (!e.refused()) {
                throw e;
            }
            f.failure = "The server refused to send the message: " + e.getMessage();
            return f;
        }
        if (f.whole == null) {
            f.failure = "The server sent neither the structure nor the content of the message.";
        } else if (f.size > limit) {
            f.problems.add("TRUNCATED_TEXT");
        }
        return f;
    }

    /**
     * One round trip for two steps of the pipeline: the text parts of {@code batch} (as
     * {@link #texts}) and the metadata of {@code next} (as {@link #meta}), all commands sent at
     * once. Behind a 20 ms link this is what makes a batch cost one round trip instead of one per
     * command. A command the server refuses is done again the careful way (split until the
     * message it fails on is found); a message without a usable structure is fetched again on
     * its own, as in {@link #meta}.
     *
     * @return the metadata of the messages of {@code next} still on the server, in that order; and
     *         when the connection broke after the batch's texts were complete, why (the batch can
     *         still be stored)
     * @throws ImapException when the connection broke before the batch's texts were complete
     */
    Round textsAndMeta(List<Fetched> batch, List<Long> next) throws ImapException {
        List<String> commands = new ArrayList<>();
        List<Object[]> textChunks = new ArrayList<>(); // {items, chunk}
        for (Map.Entry<String, List<Fetched>> group : textGroups(batch).entrySet()) {
            for (List<Fetched> chunk : chunks(group.getValue())) {
                textChunks.add(new Object[] {group.getKey(), chunk});
                commands.add("UID FETCH " + UidSets.of(chunk.stream().map(Fetched::uid).toList()) + " (UID " + group.getKey() + ")");
            }
        }
        List<List<Long>> metaChunks = next.isEmpty() ? List.of() : metaChunks(next);
        metaChunks.forEach(chunk -> commands.add(metaCommand(chunk)));
        if (commands.isEmpty()) {
            return new Round(List.of(), null);
        }
        Map<Long, Fetched> inBatch = new LinkedHashMap<>();
        batch.forEach(f -> inBatch.put(f.uid(), f));
        Set<Long> wanted = new HashSet<>(next);
        Map<Long, Fetched> found = new LinkedHashMap<>();
        Imap.Pipelined round = imap.pipeline(commands);
        List<Response[]> answers = round.answers();
        if (round.lost() != null && answers.size() < textChunks.size()) {
            throw round.lost();
        }
        // Servers may run pipelined FETCHes together (Dovecot does): a FETCH response can come before the
        // tagged result of an earlier command. The UID sets are disjoint, so each response goes by its UID.
        for (Response[] answer : answers) {
            for (Response r : answer) {
                UID u = r instanceof FetchResponse f ? f.getItem(UID.class) : null;
                if (u == null) {
                    continue;
                }
                FetchResponse f = (FetchResponse) r;
                Fetched m = inBatch.get(u.uid);
                if (m != null) {
                    takeTexts(f, m);
                } else if (wanted.contains(u.uid)) {
                    absorb(f, found, true);
                }
                // else an unsolicited FETCH (flags of another message)
            }
        }
        for (int i = 0; i < textChunks.size(); i++) {
            try {
                imap.check(commands.get(i), answers.get(i));
            } catch (ImapException e) {
                if (!e.refused()) {
                    throw e;
                }
                @SuppressWarnings("unchecked")
                List<Fetched> chunk = (List<Fetched>) textChunks.get(i)[1];
                textsRefused(chunk, (String) textChunks.get(i)[0], e);
            }
        }
        if (round.lost() != null) {
            return new Round(List.of(), round.lost()); // the texts are complete; the next metadata never came
        }
        if (next.isEmpty()) {
            return new Round(List.of(), null);
        }
        checkMeta(metaChunks, commands, answers, textChunks.size(), found);
        return new Round(complete(next, found), null);
    }

    /** What one round trip brought: the next metadata, or why the connection broke after the batch was complete. */
    record Round(List<Fetched> next, ImapException lost) {
    }

    /** The messages needing the same text parts, by their FETCH items. */
    private static Map<String, List<Fetched>> textGroups(List<Fetched> messages) {
        Map<String, List<Fetched>> byItems = new LinkedHashMap<>();
        for (Fetched f : messages) {
            if (f.failure != null || f.whole != null || f.selection == null || f.selection.parts().isEmpty()) {
                continue;
            }
            String items = f.selection.parts().stream().map(TextPart::fetchItem)
                    .collect(Collectors.toCollection(TreeSet::new)).stream().collect(Collectors.joining(" "));
            byItems.computeIfAbsent(items, k -> new ArrayList<>()).add(f);
        }
        return byItems;
    }

    /**
     * A group in commands within the {@link TextBudget} each: at most {@code batchBytes} of text, an
     * answer well inside what the connection lets one answer hold; a message alone when it is larger.
     */
    private List<List<Fetched>> chunks(List<Fetched> group) {
        List<List<Fetched>> result = new ArrayList<>();
        List<Fetched> chunk = new ArrayList<>();
        TextBudget.Tally tally = budget.tally();
        for (Fetched f : group) {
            if (!tally.take(f)) {
                result.add(chunk);
                chunk = new ArrayList<>();
                tally = budget.tally();
                tally.take(f);
            }
            chunk.add(f);
        }
        if (!chunk.isEmpty()) {
            result.add(chunk);
        }
        return result;
    }

    /**
     * One message whose text the server refuses: quarantined with the server's answer, as when its
     * metadata is refused, so that it is retried (a bounded number of times) and an operator can
     * list it. Stored without its text it would never be fetched again.
     */
    private static void textRefused(Fetched f, ImapException e) {
        f.texts.clear();
        f.failure = "The server refused to send the message's text: " + e.getMessage();
    }

    /** Downloads the selected text parts of these messages (their {@link Fetched#textBytes()} together). */
    void texts(List<Fetched> messages) throws ImapException {
        for (Map.Entry<String, List<Fetched>> group : textGroups(messages).entrySet()) {
            for (List<Fetched> chunk : chunks(group.getValue())) {
                textsOf(chunk, group.getKey());
            }
        }
    }

    private void textsOf(List<Fetched> chunk, String items) throws ImapException {
        Map<Long, Fetched> byUid = new LinkedHashMap<>();
        chunk.forEach(f -> byUid.put(f.uid(), f));
        List<FetchResponse> responses;
        try {
            responses = imap.uidFetch(UidSets.of(byUid.keySet()), "UID " + items);
        } catch (ImapException e) {
            if (!e.refused()) {
                throw e;
            }
            textsRefused(chunk, items, e);
            return;
        }
        for (FetchResponse r : responses) {
            UID u = r.getItem(UID.class);
            Fetched f = u == null ? null : byUid.get(u.uid);
            if (f != null) {
                takeTexts(r, f);
            }
        }
    }

    /** A text command the server refused: again in halves until the message it fails on is found (quarantine). */
    private void textsRefused(List<Fetched> chunk, String items, ImapException e) throws ImapException {
        if (chunk.size() > 1) {
            int half = chunk.size() / 2;
            textsOf(chunk.subList(0, half), items);
            textsOf(chunk.subList(half, chunk.size()), items);
        } else {
            textRefused(chunk.get(0), e);
        }
    }

    /** The text parts in one FETCH response, into the message's texts. */
    private static void takeTexts(FetchResponse r, Fetched f) {
        for (int i = 0; i < r.getItemCount(); i++) {
            if (r.getItem(i) instanceof BODY body && body.getSection() != null) {
                f.texts.put(body.getSection(), bytes(body));
            }
        }
    }
}
