package io.postroom.sync.internal;

import io.postroom.protocol.StreamedResponses;
import jakarta.mail.Flags;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import org.eclipse.angus.mail.iap.BadCommandException;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.ConnectionException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.ResyncData;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.ListInfo;
import org.eclipse.angus.mail.imap.protocol.MailboxInfo;
import org.eclipse.angus.mail.imap.protocol.Status;

/**
 * The IMAP commands the sync sends, raw, over Angus's protocol object: the store connection of a
 * logged-in {@code IMAPStore} (one TCP connection per run). Only commands that read: LIST, STATUS,
 * EXAMINE (read-only select), UID SEARCH, UID FETCH with {@code BODY.PEEK}. Never SELECT, STORE,
 * EXPUNGE, CLOSE or APPEND: nothing on the server changes, {@code \Seen} included.
 *
 * <p>Responses are not handed to Angus's folder machinery (it would build a message cache); the
 * tagged result is checked here. Failures become {@link ImapException}s carrying the real cause
 * (a socket timeout inside Angus's synthetic BYE, the server's NO text), for classification.
 */
final class Imap {
    private static final DateTimeFormatter SEARCH_DATE = DateTimeFormatter.ofPattern("d-MMM-yyyy", Locale.ENGLISH);

    /** What a SEARCH response holds beyond its UIDs: {@code * SEARCH}, CRLF, a MODSEQ the server may add. */
    private static final long SEARCH_FRAMING = 64;

    private final IMAPProtocol p;
    private final boolean useQresync;
    private final java.util.concurrent.atomic.AtomicLong commands;
    private final java.util.concurrent.atomic.AtomicLong pipelines = new java.util.concurrent.atomic.AtomicLong();
    private final long responseLimit;
    private final long answerLimit;

    /** Over a connection that does not bound responses or answers. */
    Imap(IMAPProtocol p, boolean useQresync, java.util.concurrent.atomic.AtomicLong commands) {
        this(p, useQresync, commands, Long.MAX_VALUE, Long.MAX_VALUE);
    }

    /**
     * @param responseLimit what one response may hold on the connection ({@code ImapConnection.responseLimitBytes()})
     * @param answerLimit   what one command's answer may hold ({@code ImapConnection.answerLimitBytes()})
     */
    Imap(IMAPProtocol p, boolean useQresync, java.util.concurrent.atomic.AtomicLong commands, long responseLimit,
         long answerLimit) {
        this.p = p;
        this.useQresync = useQresync;
        this.commands = commands;
        this.responseLimit = responseLimit;
        this.answerLimit = answerLimit;
    }

    /**
     * The messages one command may ask about when each of their responses costs at most
     * {@code perMessage} against the answer's bound (its buffer and the 512 bytes the connection
     * counts): half of what one answer may hold, the other half left for what the server adds
     * unasked (EXISTS, other messages' flags) and lines longer than reckoned. At least one.
     */
    long messagesPerAnswer(long perMessage) {
        return Math.max(1, answerLimit / 2 / perMessage);
    }

    /**
     * The UIDs one SEARCH response holds at most on this connection, when none is above
     * {@code highestUid}: a SEARCH answer is one line, which Angus's buffer reaches within the
     * response limit when it is at most half of it (the buffer doubles, then grows 256 KiB at a time).
     */
    long uidsPerSearch(long highestUid) {
        long perUid = Long.toString(Math.max(1, highestUid)).length() + 1; // digits and a space
        return Math.max(1, (responseLimit / 2 - SEARCH_FRAMING) / perUid);
    }

    /** IMAP commands sent so far (for tests and benchmarks). */
    long commands() {
        return commands.get();
    }

    boolean has(String capability) {
        return p.hasCapability(capability);
    }

    boolean condstore() {
        return has("CONDSTORE") || has("QRESYNC");
    }

    boolean qresync() {
        return useQresync && has("QRESYNC") && has("ENABLE");
    }

    void enableQresync() throws ImapException {
        if (qresync() && !p.isEnabled("QRESYNC")) {
            commands.incrementAndGet();
            try {
                p.enable("QRESYNC");
            } catch (ProtocolException e) {
                throw ImapException.of("ENABLE QRESYNC", e);
            }
        }
    }

    /** What LIST and STATUS say about a folder. */
    record FolderInfo(String name, List<String> attributes, boolean selectable, long messages, long uidNext,
                      long uidValidity, long highestModSeq) {
    }

    /**
     * LIST-STATUS (RFC 5819): every folder with SPECIAL-USE attributes and its status in one
     * command. Only call when {@code has("LIST-STATUS")}.
     */
    Map<String, FolderInfo> listStatus() throws ImapException {
        String items = condstore() ? "MESSAGES UIDNEXT UIDVALIDITY HIGHESTMODSEQ" : "MESSAGES UIDNEXT UIDVALIDITY";
        String returns = has("SPECIAL-USE") ? "SPECIAL-USE STATUS (" + items + ")" : "STATUS (" + items + ")";
        Response[] r = command("LIST \"\" \"*\" RETURN (" + returns + ")");
        Map<String, ListInfo> lists = new LinkedHashMap<>();
        Map<String, Status> statuses = new LinkedHashMap<>();
        for (Response response : r) {
            if (!(response instanceof IMAPResponse ir) || !ir.isUnTagged()) {
                continue;
            }
            try {
                if (ir.keyEquals("LIST")) {
                    ListInfo li = new ListInfo(ir);
                    lists.put(li.name, li);
                } else if (ir.keyEquals("STATUS")) {
                    Status s = new Status(ir);
                    statuses.put(s.mbox, s);
                }
            } catch (ProtocolException e) {
                // one unreadable line: that folder falls back to STATUS
            }
        }
        Map<String, FolderInfo> result = new LinkedHashMap<>();
        for (ListInfo li : lists.values()) {
            Status s = statuses.get(li.name);
            List<String> attrs = li.attrs == null ? List.of() : List.of(li.attrs);
            result.put(li.name, s == null
                    ? new FolderInfo(li.name, attrs, li.canOpen, -1, -1, -1, -1)
                    : new FolderInfo(li.name, attrs, li.canOpen, s.total, s.uidnext, s.uidvalidity, s.highestmodseq));
        }
        return result;
    }

    /** STATUS of one folder; its LIST attributes are not known here. */
    FolderInfo status(String folder) throws ImapException {
        String[] items = condstore()
                ? new String[] {"MESSAGES", "UIDNEXT", "UIDVALIDITY", "HIGHESTMODSEQ"}
                : new String[] {"MESSAGES", "UIDNEXT", "UIDVALIDITY"};
        commands.incrementAndGet();
        try {
            Status s = p.status(folder, items);
            if (s == null) {
                throw new ImapException("STATUS " + folder + ": the server sent no status", null, false, true);
            }
            return new FolderInfo(folder, List.of(), true, s.total, s.uidnext, s.uidvalidity, s.highestmodseq);
        } catch (ProtocolException e) {
            throw ImapException.of("STATUS " + folder, e);
        }
    }

    /**
     * EXAMINE (read-only SELECT), with QRESYNC data or CONDSTORE when given. The untagged responses
     * {@code taker} accepts (the FETCH and VANISHED responses QRESYNC answers with) are handed to it
     * as they arrive, not held: after a change to many messages they are as many, and one command's
     * answer may hold only so much (see {@link StreamedResponses}). Null {@code taker}: all held.
     */
    MailboxInfo examine(String folder, ResyncData resync, Predicate<? super Response> taker) throws ImapException {
        commands.incrementAndGet();
        return streaming(taker, () -> {
            try {
                return p.examine(folder, resync);
            } catch (ProtocolException e) {
                throw ImapException.of("EXAMINE " + folder, e);
            }
        }, mi -> mi.responses);
    }

    /** A command whose answer {@link #streaming} hands over as it arrives. */
    @FunctionalInterface
    private interface Sent<T> {
        T send() throws ImapException;
    }

    /**
     * Sends a command with the untagged responses {@code taker} accepts handed to it as they arrive
     * (null {@code taker}: all held). A protocol object that cannot stream (not one of Postroom's
     * connections) holds them all; they are handed to {@code taker} once the answer is complete.
     *
     * @param held the responses the answer holds
     */
    private <T> T streaming(Predicate<? super Response> taker, Sent<T> command,
                            Function<T, ? extends List<? extends Response>> held) throws ImapException {
        if (taker == null) {
            return command.send();
        }
        if (!(p instanceof StreamedResponses streamed)) {
            T answer = command.send();
            List<? extends Response> responses = held.apply(answer);
            if (responses != null) {
                responses.forEach(taker::test);
            }
            return answer;
        }
        streamed.streamTo(taker);
        try {
            return command.send();
        } finally {
            streamed.streamTo(null);
        }
    }

    /**
     * UID SEARCH with the given criteria, for messages with UIDs from {@code from} to {@code through}
     * of a folder of {@code messages}: one command as long as its answer (one response, up to 11
     * bytes a UID) surely fits what one response may hold ({@link #uidsPerSearch}), i.e. as long as
     * the UID range or the folder's messages are few enough (always, at the default limits, below
     * some three million messages). Else the same search over consecutive UID ranges
     * ({@code UID a:b <criteria>}) of at most that many messages each: one more small search finds
     * where each run of that many messages begins (the UIDs of messages 1, n+1, 2n+1, ... by
     * sequence number), so the ranges follow the folder's UIDs however far apart they are. Each
     * answer fits by construction: a UID range only loses messages to expunges, and mail that
     * arrives meanwhile is above {@code through} (found by the next run).
     *
     * @param through the highest UID the criteria may match (UIDNEXT - 1); unknown (0 or less): one command
     * @return the UIDs found, ascending, each once
     */
    long[] uidSearch(String criteria, long from, long through, long messages) throws ImapException {
        long step = uidsPerSearch(through);
        if (through <= 0 || Math.min(through - from + 1, messages) <= step) {
            return uidSearch(criteria);
        }
        long[] starts;
        StringBuilder runs = new StringBuilder("1");
        for (long seq = step + 1; seq <= messages; seq += step) {
            runs.append(',').append(seq);
        }
        boolean byUids = false;
        try {
            starts = uidSearch(runs.toString());
            if (starts.length == 0) {
                return starts; // no message 1: the folder is empty now
            }
        } catch (ImapException e) {
            if (!e.refused()) {
                throw e;
            }
            starts = new long[0]; // the server refused message numbers: ranges of that many UIDs
            byUids = true;
        }
        long[] uids = new long[64];
        int n = 0;
        // below the first message's UID there is none
        long a = Math.max(Math.max(1, from), byUids ? 1 : starts[0]);
        int next = 0;
        while (a <= through) {
            while (next < starts.length && starts[next] <= a) {
                next++;
            }
            long b = byUids ? Math.min(through, a + step - 1)
                    : next < starts.length ? Math.min(through, starts[next] - 1) : through;
            long[] found = uidSearch("UID " + a + ":" + b + " " + criteria);
            if (n + found.length > uids.length) {
                uids = java.util.Arrays.copyOf(uids, Math.max(2 * uids.length, n + found.length));
            }
            System.arraycopy(found, 0, uids, n, found.length);
            n += found.length;
            a = b + 1;
        }
        return sortedDistinct(uids, n);
    }

    /** UID SEARCH with the given criteria, one command; the UIDs found, ascending. */
    long[] uidSearch(String criteria) throws ImapException {
        Response[] r = command("UID SEARCH " + criteria);
        // a primitive array: 100,000 UIDs take 0.8 MB (as a TreeSet of Longs they took about 6 MB)
        long[] uids = new long[64];
        int n = 0;
        for (Response response : r) {
            if (response instanceof IMAPResponse ir && ir.isUnTagged() && ir.keyEquals("SEARCH")) {
                long uid;
                while ((uid = ir.readLong()) != -1) {
                    if (n == uids.length) {
                        uids = java.util.Arrays.copyOf(uids, n * 2);
                    }
                    uids[n++] = uid;
                }
            }
        }
        return sortedDistinct(uids, n);
    }

    /** The first {@code n} of {@code uids}, ascending, each once (sorted in place). */
    static long[] sortedDistinct(long[] uids, int n) {
        java.util.Arrays.sort(uids, 0, n);
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (distinct == 0 || uids[i] != uids[distinct - 1]) {
                uids[distinct++] = uids[i];
            }
        }
        return java.util.Arrays.copyOf(uids, distinct);
    }

    /** SEARCH criterion for messages with an internal date on or after that day (UTC). */
    static String since(Instant instant) {
        return "SINCE " + SEARCH_DATE.format(LocalDate.ofInstant(instant, java.time.ZoneOffset.UTC));
    }

    static String before(Instant instant) {
        return "BEFORE " + SEARCH_DATE.format(LocalDate.ofInstant(instant, java.time.ZoneOffset.UTC));
    }

    /** The FETCH responses of a UID FETCH (unsolicited ones of other kinds are dropped). */
    List<FetchResponse> uidFetch(String uidSet, String items) throws ImapException {
        Response[] r = command("UID FETCH " + uidSet + " (" + items + ")");
        List<FetchResponse> result = new ArrayList<>(r.length);
        for (Response response : r) {
            if (response instanceof FetchResponse f) {
                result.add(f);
            }
        }
        return result;
    }

    /**
     * UID FETCH with modifiers, e.g. {@code (CHANGEDSINCE 42)}, whose untagged responses
     * {@code taker} accepts are handed to it as they arrive, not held: for answers that grow with
     * the folder ({@code 1:* ... (CHANGEDSINCE 42)} after a change to many messages).
     */
    void uidFetch(String uidSet, String items, String modifiers, Predicate<? super Response> taker) throws ImapException {
        streaming(taker, () -> command("UID FETCH " + uidSet + " (" + items + ") " + modifiers), java.util.Arrays::asList);
    }

    /**
     * Sends several commands at once and then reads all their answers: one round trip for all of
     * them instead of one each (RFC 9051 §5.5 allows a client to send the next command before the
     * answer to the previous one; the sync only pipelines UID FETCHes, which change nothing).
     *
     * @return per command answered, its responses (the last being its tagged result, not checked
     *         here); and when the connection was lost before every answer came, why
     */
    Pipelined pipeline(List<String> pipelined) {
        List<String> tags = new ArrayList<>(pipelined.size());
        try {
            // All commands in one write: sent one by one, the second would wait for the server's
            // acknowledgement of the first (Nagle's algorithm), a round trip more. Angus flushes after
            // every command, so the others ride on the first one's text after CRLF, with tags of our own
            // ("P<round>.<n>"; a server accepts any tag). The connector's protocol reads the command text
            // so: each command after CRLF is one of its own, timed from its turn (the command timeout)
            long round = pipelines.incrementAndGet();
            StringBuilder text = new StringBuilder(pipelined.get(0));
            List<String> own = new ArrayList<>();
            for (int i = 1; i < pipelined.size(); i++) {
                String tag = "P" + round + "." + i;
                own.add(tag);
                text.append("\r\n").append(tag).append(' ').append(pipelined.get(i));
            }
            commands.addAndGet(pipelined.size());
            tags.add(p.writeCommand(text.toString(), null));
            tags.addAll(own);
        } catch (java.io.IOException | ProtocolException e) {
            return new Pipelined(List.of(),
                    new ImapException("pipelined UID FETCH: connection lost: " + e.getMessage(), e, true, false));
        }
        List<Response[]> result = new ArrayList<>(tags.size());
        List<Response> current = new ArrayList<>();
        int index = 0;
        while (index < tags.size()) {
            Response r;
            try {
                r = p.readResponse();
            } catch (java.io.IOException e) {
                // where the server's bytes stand is unknown now (a response too large stops mid-literal): the
                // connection cannot be used again, as Angus's own command() + handleResult() would decide. Reported
                // as command() reports it (a synthetic BYE carrying the cause), so that it is classified alike: a
                // dropped connection as a network failure, a response too large as a protocol failure
                p.disconnect();
                return new Pipelined(result,
                        ImapException.of("pipelined UID FETCH", new ConnectionException(p, Response.byeResponse(e))));
            } catch (ProtocolException e) {
                continue; // an unreadable response: skipped, as Angus does
            }
            if (r.isBYE()) {
                return new Pipelined(result, ImapException.of("pipelined UID FETCH", new ConnectionException(p, r)));
            }
            current.add(r);
            if (r.isTagged() && tags.get(index).equals(r.getTag())) {
                result.add(current.toArray(new Response[0]));
                current = new ArrayList<>();
                index++;
            }
        }
        return new Pipelined(result, null);
    }

    /** The answers of pipelined commands, in order; {@code lost} when the connection broke before the rest came. */
    record Pipelined(List<Response[]> answers, ImapException lost) {
    }

    /** Checks the tagged result of a pipelined command (see {@link #pipeline}). */
    void check(String command, Response[] responses) throws ImapException {
        try {
            p.handleResult(responses[responses.length - 1]);
        } catch (ProtocolException e) {
            throw ImapException.of(command.length() > 60 ? command.substring(0, 60) + "..." : command, e);
        }
    }

    /** Sends a command and checks its tagged result. */
    private Response[] command(String command) throws ImapException {
        commands.incrementAndGet();
        Response[] r = p.command(command, null);
        Response last = r[r.length - 1];
        try {
            p.handleResult(last);
        } catch (ProtocolException e) {
            throw ImapException.of(command.length() > 60 ? command.substring(0, 60) + "..." : command, e);
        }
        return r;
    }

    // ------------------------------------------------------------------ flags

    /** IMAP flags as strings ({@code \Seen}, keywords as they are), without the session flag {@code \Recent}. */
    static Set<String> flags(Flags flags) {
        Set<String> result = new TreeSet<>();
        if (flags == null) {
            return result;
        }
        for (Flags.Flag f : flags.getSystemFlags()) {
            if (f == Flags.Flag.SEEN) {
                result.add("\\Seen");
            } else if (f == Flags.Flag.ANSWERED) {
                result.add("\\Answered");
            } else if (f == Flags.Flag.FLAGGED) {
                result.add("\\Flagged");
            } else if (f == Flags.Flag.DELETED) {
                result.add("\\Deleted");
            } else if (f == Flags.Flag.DRAFT) {
                result.add("\\Draft");
            }
        }
        for (String user : flags.getUserFlags()) {
            if (user != null && !user.isBlank()) {
                result.add(user);
            }
        }
        return result;
    }

    /** A failed command or a broken connection, with what classification needs. */
    static final class ImapException extends Exception {
        private static final long serialVersionUID = 1L;

        private final boolean connectionLost;
        private final boolean refused;

        ImapException(String message, Throwable cause, boolean connectionLost, boolean refused) {
            super(message, cause);
            this.connectionLost = connectionLost;
            this.refused = refused;
        }

        static ImapException of(String command, ProtocolException e) {
            Response r = e.getResponse();
            String text = r != null ? r.getRest() : e.getMessage();
            boolean lost = e instanceof ConnectionException || (r != null && r.isBYE());
            boolean refused = e instanceof CommandFailedException || e instanceof BadCommandException;
            String message = command + (lost ? ": connection lost" : ": refused") + (text == null || text.isBlank() ? "" : ": " + text);
            if (r != null && r.getException() != null && e.getCause() == null) {
                // Angus keeps the socket error (a timeout, a reset) in its synthetic BYE: chain it for classification
                e.initCause(r.getException());
            }
            return new ImapException(message, e, lost, refused);
        }

        /** The connection is gone: the run cannot continue on it. */
        boolean connectionLost() {
            return connectionLost;
        }

        /** The server answered NO or BAD: the connection is fine, the command was not. */
        boolean refused() {
            return refused;
        }
    }
}
