package io.postroom.sync.internal;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small IMAP server for what no real server in the tests does on demand: a folder answering
 * EXAMINE with {@code [NOMODSEQ]} while the server has CONDSTORE, an expunge that leaves
 * HIGHESTMODSEQ where it was (allowed with CONDSTORE alone), a FETCH refused for one message.
 * It speaks just what the sync sends (CAPABILITY, LOGIN, LIST, STATUS, EXAMINE, UID SEARCH, UID
 * FETCH, NOOP, LOGOUT) for single-part text/plain messages, and answers any command the test's
 * {@link #refuse refusal} names with its NO or BAD, or as a {@link #hostile hostile} server would,
 * or {@link #drip drips} its answers (a few bytes, a pause, a few bytes).
 */
final class ScriptedImapServer implements AutoCloseable {
    private static final DateTimeFormatter INTERNALDATE = DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SEARCH_DATE = DateTimeFormatter.ofPattern("d-MMM-yyyy", Locale.ENGLISH);

    /** One message: a header block and a plain-text body. */
    static final class Message {
        final long uid;
        final byte[] header;
        final byte[] body;
        final Instant internalDate;
        final Set<String> flags = new TreeSet<>();
        long modSeq;

        Message(long uid, String raw, Instant internalDate, long modSeq) {
            this.uid = uid;
            int split = raw.indexOf("\r\n\r\n");
            this.header = raw.substring(0, split + 4).getBytes(StandardCharsets.US_ASCII);
            this.body = raw.substring(split + 4).getBytes(StandardCharsets.US_ASCII);
            this.internalDate = internalDate;
            this.modSeq = modSeq;
        }

        byte[] whole() {
            byte[] all = new byte[header.length + body.length];
            System.arraycopy(header, 0, all, 0, header.length);
            System.arraycopy(body, 0, all, header.length, body.length);
            return all;
        }
    }

    /** One folder. */
    static final class Folder {
        final String name;
        long uidValidity;
        long uidNext = 1;
        long highestModSeq = 1;
        /** EXAMINE answers [NOMODSEQ]: the folder keeps no mod-sequences. */
        boolean noModSeq;
        /** LIST attributes besides {@code \\HasNoChildren}, e.g. {@code \\Sent} (RFC 6154). */
        String attributes = "";
        final TreeMap<Long, Message> messages = new TreeMap<>();

        Folder(String name, long uidValidity) {
            this.name = name;
            this.uidValidity = uidValidity;
        }
    }

    private final ServerSocket socket;
    private final String capabilities;
    private final String user;
    private final String password;
    private final Map<String, Folder> folders = new LinkedHashMap<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private volatile Function<String, String> refusal = c -> null;
    private volatile Hostile hostile;
    private volatile java.util.function.Predicate<String> hostileWhen = c -> false;
    private volatile Drip drip;
    private volatile Runnable dripStarted = () -> { };
    private final java.util.concurrent.atomic.AtomicInteger dripsDone = new java.util.concurrent.atomic.AtomicInteger();
    private final Thread acceptor;

    /** What {@link #drip}'s condition is asked for the greeting. */
    static final String GREETING = "(greeting)";

    /** Answers sent {@code bytes} at a time, {@code pauseMillis} apart, for the commands {@code when} holds for. */
    private record Drip(long pauseMillis, int bytes, java.util.function.Predicate<String> when) {
    }

    private ScriptedImapServer(String capabilities, String user, String password) throws IOException {
        this.socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        this.capabilities = capabilities;
        this.user = user;
        this.password = password;
        this.acceptor = new Thread(this::accept, "scripted-imap");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /** A server with these capabilities (e.g. {@code "IMAP4rev1 CONDSTORE"}), for one user, with an empty INBOX. */
    static ScriptedImapServer start(String capabilities, String user, String password) {
        try {
            ScriptedImapServer s = new ScriptedImapServer(capabilities, user, password);
            s.folder("INBOX");
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    int port() {
        return socket.getLocalPort();
    }

    synchronized Folder folder(String name) {
        return folders.computeIfAbsent(name, n -> new Folder(n, 1000 + folders.size()));
    }

    /** Appends a message; the folder's HIGHESTMODSEQ goes up, as with any change. */
    synchronized long deliver(String folder, String raw, Instant internalDate) {
        Folder f = folder(folder);
        long uid = f.uidNext++;
        f.highestModSeq++;
        f.messages.put(uid, new Message(uid, raw, internalDate, f.highestModSeq));
        return uid;
    }

    /** Removes a message; with {@code raiseModSeq} false HIGHESTMODSEQ stays (CONDSTORE without QRESYNC allows it). */
    synchronized void expunge(String folder, long uid, boolean raiseModSeq) {
        Folder f = folder(folder);
        f.messages.remove(uid);
        if (raiseModSeq) {
            f.highestModSeq++;
        }
    }

    /**
     * Commands (without their tag) to refuse: the function returns the answer, e.g. {@code "NO
     * broken"}, or null to answer normally.
     */
    void refuse(Function<String, String> answer) {
        this.refusal = answer == null ? c -> null : answer;
    }

    /** Answers a broken or hostile server gives instead of a FETCH answer. */
    enum Hostile {
        /** A FETCH answer announcing a literal of 2,000,000,000 bytes, none of which follow. */
        HUGE_LITERAL,
        /** A FETCH answer whose line never ends: bytes without CRLF until the client hangs up. */
        ENDLESS_LINE,
        /** Short untagged lines, each complete, without end (until the client hangs up). */
        ENDLESS_UNTAGGED
    }

    /**
     * Commands (without their tag) for which {@code when} holds are answered as {@code kind}; null
     * to answer normally again. The connection is of no use afterwards.
     */
    void hostile(Hostile kind, java.util.function.Predicate<String> when) {
        this.hostileWhen = when == null ? c -> false : when;
        this.hostile = kind;
    }

    /**
     * The answers to the commands (without their tag; {@link #GREETING} for the greeting) for which
     * {@code when} holds are sent {@code bytes} at a time with {@code pauseMillis} between: never
     * silent for long, slow in all. Null {@code when}: every answer at once again.
     */
    void drip(long pauseMillis, int bytes, java.util.function.Predicate<String> when) {
        this.drip = when == null ? null : new Drip(pauseMillis, bytes, when);
    }

    /** Runs (on the server's thread) when a dripped answer begins. */
    void onDripStart(Runnable action) {
        this.dripStarted = action == null ? () -> { } : action;
    }

    /** Dripped answers sent to their end. */
    int dripsDone() {
        return dripsDone.get();
    }

    /** The commands received so far, without tags (LOGIN's password masked). */
    List<String> commands() {
        return List.copyOf(commands);
    }

    /** Whether {@code command} is a UID FETCH whose UID set holds {@code uid}. */
    static boolean fetches(String command, long uid) {
        Matcher m = Pattern.compile("(?i)^UID FETCH ([0-9:,*]+) ").matcher(command);
        return m.find() && UidSets.contains(UidSets.parse(m.group(1), Long.MAX_VALUE), uid);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing
        }
        for (Socket c : clients) {
            try {
                c.close();
            } catch (IOException e) {
                // closing
            }
        }
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ the protocol

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket c = socket.accept();
                clients.add(c);
                Thread t = new Thread(() -> serve(c), "scripted-imap-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket c) {
        try (c; BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.ISO_8859_1));
             OutputStream out = c.getOutputStream()) {
            Session session = new Session(out);
            session.line("* OK [CAPABILITY " + capabilities + "] scripted server ready");
            session.flush(GREETING);
            String line;
            while ((line = in.readLine()) != null) {
                if (!session.handle(line)) {
                    return;
                }
                int space = line.indexOf(' ');
                session.flush(space < 0 ? "" : line.substring(space + 1));
            }
        } catch (SocketException e) {
            // the client or the test closed the connection
        } catch (IOException e) {
            // same
        } finally {
            clients.remove(c);
        }
    }

    private final class Session {
        private final OutputStream out;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private Folder selected;

        Session(OutputStream out) {
            this.out = out;
        }

        void line(String s) {
            bytes(s.getBytes(StandardCharsets.ISO_8859_1));
            bytes(new byte[] {'\r', '\n'});
        }

        void bytes(byte[] b) {
            pending.write(b, 0, b.length);
        }

        void flush() throws IOException {
            pending.writeTo(out);
            out.flush();
            pending.reset();
        }

        /** Sends what is pending, dripped when the answer to {@code command} is to be. */
        void flush(String command) throws IOException {
            Drip d = drip;
            if (d == null || !d.when().test(command)) {
                flush();
                return;
            }
            byte[] all = pending.toByteArray();
            pending.reset();
            dripStarted.run();
            for (int i = 0; i < all.length; i += d.bytes()) {
                out.write(all, i, Math.min(d.bytes(), all.length - i));
                out.flush(); // the client hung up: an IOException ends the conversation
                try {
                    Thread.sleep(d.pauseMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            dripsDone.incrementAndGet();
        }

        /** One command line; false after LOGOUT. */
        boolean handle(String line) {
            int space = line.indexOf(' ');
            if (space < 0) {
                line("* BAD no command");
                return true;
            }
            String tag = line.substring(0, space);
            String command = line.substring(space + 1);
            String name = command.split(" ", 2)[0].toUpperCase(Locale.ROOT);
            commands.add(name.equals("LOGIN") ? "LOGIN ***" : command);
            String refused = refusal.apply(command);
            if (refused != null) {
                line(tag + " " + refused);
                return true;
            }
            Hostile kind = hostile;
            if (kind != null && hostileWhen.test(command)) {
                return hostile(kind);
            }
            List<String> args = tokens(command.substring(name.length()).strip());
            synchronized (ScriptedImapServer.this) {
                switch (name) {
                    case "CAPABILITY" -> {
                        line("* CAPABILITY " + capabilities);
                        line(tag + " OK done");
                    }
                    case "NOOP" -> line(tag + " OK done");
                    case "LOGIN" -> {
                        if (args.size() == 2 && unquote(args.get(0)).equals(user) && unquote(args.get(1)).equals(password)) {
                            line(tag + " OK [CAPABILITY " + capabilities + "] logged in");
                        } else {
                            line(tag + " NO [AUTHENTICATIONFAILED] wrong user name or password");
                        }
                    }
                    case "LOGOUT" -> {
                        line("* BYE logging out");
                        line(tag + " OK done");
                        return false;
                    }
                    case "LIST" -> list(tag, args);
                    case "STATUS" -> status(tag, args);
                    case "EXAMINE" -> examine(tag, args);
                    case "UID" -> uid(tag, args);
                    default -> line(tag + " BAD unknown command " + name);
                }
            }
            return true;
        }

        /** Answers as a hostile server; false: the conversation is over. */
        private boolean hostile(Hostile kind) {
            try {
                if (kind == Hostile.HUGE_LITERAL) {
                    // the evil text is never to reach the user: Postroom reports in its own words
                    text("* 1 FETCH (UID 1 BODY[HEADER]<0> {2000000000}\r\nscripted-evil-text");
                    flush();
                    return true; // and wait: the client is to give up on its own, not to wait for 2 GB
                }
                if (kind == Hostile.ENDLESS_UNTAGGED) {
                    byte[] lines = "* OK scripted-evil-text\r\n".repeat(4096).getBytes(StandardCharsets.US_ASCII);
                    // until the client hangs up; at most about 1 GiB
                    for (int i = 0; i < 10_000; i++) {
                        out.write(lines);
                    }
                    out.flush();
                    return false;
                }
                text("* 1 FETCH (UID 1 FLAGS (scripted-evil-text");
                flush();
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) 'x');
                // until the client hangs up; at most 1 GiB, so that a failing test does not leave it writing for ever
                for (int i = 0; i < 16 * 1024; i++) {
                    out.write(chunk);
                }
                out.flush();
                return false;
            } catch (IOException e) {
                return false; // the client hung up
            }
        }

        private void list(String tag, List<String> args) {
            String pattern = args.size() > 1 ? unquote(args.get(1)) : "";
            if (pattern.isEmpty()) {
                line("* LIST (\\Noselect) \"/\" \"\"");
            } else {
                for (Folder f : folders.values()) {
                    line("* LIST (\\HasNoChildren" + (f.attributes.isEmpty() ? "" : " " + f.attributes) + ") \"/\" \"" + f.name + "\"");
                }
            }
            line(tag + " OK done");
        }

        private void status(String tag, List<String> args) {
            Folder f = folders.get(unquote(args.get(0)));
            if (f == null) {
                line(tag + " NO [NONEXISTENT] no such folder");
                return;
            }
            StringBuilder sb = new StringBuilder();
            for (String item : tokens(inner(args.get(1)))) {
                String value = switch (item.toUpperCase(Locale.ROOT)) {
                    case "MESSAGES" -> Integer.toString(f.messages.size());
                    case "UIDNEXT" -> Long.toString(f.uidNext);
                    case "UIDVALIDITY" -> Long.toString(f.uidValidity);
                    case "HIGHESTMODSEQ" -> f.noModSeq ? "0" : Long.toString(f.highestModSeq);
                    case "UNSEEN", "RECENT" -> "0";
                    default -> null;
                };
                if (value != null) {
                    sb.append(sb.length() == 0 ? "" : " ").append(item).append(' ').append(value);
                }
            }
            line("* STATUS \"" + f.name + "\" (" + sb + ")");
            line(tag + " OK done");
        }

        private void examine(String tag, List<String> args) {
            Folder f = folders.get(unquote(args.get(0)));
            if (f == null) {
                line(tag + " NO [NONEXISTENT] no such folder");
                selected = null;
                return;
            }
            selected = f;
            line("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)");
            line("* OK [PERMANENTFLAGS ()] read-only");
            line("* " + f.messages.size() + " EXISTS");
            line("* 0 RECENT");
            line("* OK [UIDVALIDITY " + f.uidValidity + "] UIDs valid");
            line("* OK [UIDNEXT " + f.uidNext + "] predicted next UID");
            line(f.noModSeq ? "* OK [NOMODSEQ] no permanent mod-sequences" : "* OK [HIGHESTMODSEQ " + f.highestModSeq + "] highest");
            line(tag + " OK [READ-ONLY] examined");
        }

        private void uid(String tag, List<String> args) {
            if (selected == null) {
                line(tag + " BAD no folder selected");
                return;
            }
            String sub = args.get(0).toUpperCase(Locale.ROOT);
            if (sub.equals("SEARCH")) {
                search(tag, args.subList(1, args.size()));
            } else if (sub.equals("FETCH")) {
                fetch(tag, args.get(1), tokens(inner(args.get(2))), args.size() > 3 ? tokens(inner(args.get(3))) : List.of());
            } else {
                line(tag + " BAD not supported: UID " + sub);
            }
        }

        private void search(String tag, List<String> criteria) {
            List<Long> found = new ArrayList<>();
            long max = selected.messages.isEmpty() ? 0 : selected.messages.lastKey();
            for (Message m : selected.messages.values()) {
                boolean match = true;
                for (int i = 0; i < criteria.size(); i++) {
                    String c = criteria.get(i).toUpperCase(Locale.ROOT);
                    LocalDate day = LocalDate.ofInstant(m.internalDate, ZoneOffset.UTC);
                    switch (c) {
                        case "ALL" -> { }
                        case "UID" -> match &= UidSets.contains(UidSets.parse(criteria.get(++i), max), m.uid);
                        case "SINCE" -> match &= !day.isBefore(LocalDate.parse(criteria.get(++i), SEARCH_DATE));
                        case "BEFORE" -> match &= day.isBefore(LocalDate.parse(criteria.get(++i), SEARCH_DATE));
                        default -> throw new IllegalArgumentException("search criterion " + c);
                    }
                }
                if (match) {
                    found.add(m.uid);
                }
            }
            StringBuilder sb = new StringBuilder("* SEARCH");
            found.forEach(u -> sb.append(' ').append(u));
            line(sb.toString());
            line(tag + " OK done");
        }

        private void fetch(String tag, String set, List<String> items, List<String> modifiers) {
            boolean modSeqAsked = items.stream().anyMatch(i -> i.equalsIgnoreCase("MODSEQ"))
                    || modifiers.stream().anyMatch(i -> i.equalsIgnoreCase("CHANGEDSINCE"));
            if (modSeqAsked && selected.noModSeq) {
                line(tag + " BAD [NOMODSEQ] the folder has no mod-sequences");
                return;
            }
            long changedSince = -1;
            for (int i = 0; i < modifiers.size(); i++) {
                if (modifiers.get(i).equalsIgnoreCase("CHANGEDSINCE")) {
                    changedSince = Long.parseLong(modifiers.get(i + 1));
                }
            }
            long max = selected.messages.isEmpty() ? 0 : selected.messages.lastKey();
            List<long[]> ranges = UidSets.parse(set, max);
            List<Long> seqOrder = new ArrayList<>(selected.messages.keySet());
            for (Message m : selected.messages.values()) {
                if (!UidSets.contains(ranges, m.uid) || (changedSince >= 0 && m.modSeq <= changedSince)) {
                    continue;
                }
                int seq = Collections.binarySearch(seqOrder, m.uid) + 1;
                bytes(("* " + seq + " FETCH (").getBytes(StandardCharsets.ISO_8859_1));
                List<String> asked = new ArrayList<>(items);
                if (asked.stream().noneMatch(i -> i.equalsIgnoreCase("UID"))) {
                    asked.add(0, "UID");
                }
                if (changedSince >= 0 && asked.stream().noneMatch(i -> i.equalsIgnoreCase("MODSEQ"))) {
                    asked.add("MODSEQ");
                }
                boolean first = true;
                for (String item : asked) {
                    if (!first) {
                        bytes(new byte[] {' '});
                    }
                    first = false;
                    item(m, item);
                }
                line(")");
            }
            line(tag + " OK done");
        }

        private void item(Message m, String item) {
            String upper = item.toUpperCase(Locale.ROOT);
            switch (upper) {
                case "UID" -> text("UID " + m.uid);
                case "FLAGS" -> text("FLAGS (" + String.join(" ", m.flags) + ")");
                case "INTERNALDATE" -> text("INTERNALDATE \"" + INTERNALDATE.format(m.internalDate) + "\"");
                case "RFC822.SIZE" -> text("RFC822.SIZE " + m.whole().length);
                case "MODSEQ" -> text("MODSEQ (" + m.modSeq + ")");
                case "BODYSTRUCTURE" -> text("BODYSTRUCTURE (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" "
                        + m.body.length + " " + lines(m.body) + " NIL NIL NIL NIL)");
                default -> {
                    if (!upper.startsWith("BODY.PEEK[") && !upper.startsWith("BODY[")) {
                        throw new IllegalArgumentException("FETCH item " + item);
                    }
                    section(m, item);
                }
            }
        }

        private void section(Message m, String item) {
            int open = item.indexOf('[');
            int close = item.lastIndexOf(']');
            String section = item.substring(open + 1, close);
            String partial = item.substring(close + 1);
            String upper = section.toUpperCase(Locale.ROOT);
            byte[] content;
            if (upper.equals("HEADER")) {
                content = m.header;
            } else if (upper.equals("TEXT") || upper.equals("1")) {
                content = m.body;
            } else if (upper.isEmpty()) {
                content = m.whole();
            } else if (upper.startsWith("HEADER.FIELDS")) {
                StringBuilder sb = new StringBuilder();
                String wanted = upper.substring(upper.indexOf('(') + 1, upper.indexOf(')'));
                for (String h : new String(m.header, StandardCharsets.US_ASCII).split("\r\n")) {
                    for (String w : wanted.split(" ")) {
                        if (h.toUpperCase(Locale.ROOT).startsWith(w + ":")) {
                            sb.append(h).append("\r\n");
                        }
                    }
                }
                content = sb.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
            } else {
                throw new IllegalArgumentException("section " + section);
            }
            String origin = "";
            if (!partial.isEmpty()) { // <offset.length>
                String[] p = partial.substring(1, partial.length() - 1).split("\\.");
                int offset = (int) Math.min(content.length, Long.parseLong(p[0]));
                int length = (int) Math.min(content.length - offset, Long.parseLong(p[1]));
                byte[] part = new byte[length];
                System.arraycopy(content, offset, part, 0, length);
                content = part;
                origin = "<" + offset + ">";
            }
            text("BODY[" + section + "]" + origin + " {" + content.length + "}\r\n");
            bytes(content);
        }

        private void text(String s) {
            bytes(s.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    private static int lines(byte[] body) {
        int n = 0;
        for (byte b : body) {
            if (b == '\n') {
                n++;
            }
        }
        return n;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static String inner(String list) {
        return list.startsWith("(") && list.endsWith(")") ? list.substring(1, list.length() - 1) : list;
    }

    /** Space-separated tokens; quoted strings, parenthesised lists and [sections] stay whole. */
    static List<String> tokens(String s) {
        List<String> result = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ') {
                i++;
                continue;
            }
            int start = i;
            if (c == '"') {
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    i += s.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
            } else {
                int depth = 0;
                while (i < s.length() && (depth > 0 || s.charAt(i) != ' ')) {
                    char d = s.charAt(i);
                    if (d == '(' || d == '[') {
                        depth++;
                    } else if (d == ')' || d == ']') {
                        depth--;
                    }
                    i++;
                }
            }
            result.add(s.substring(start, Math.min(i, s.length())));
        }
        return result;
    }
}
