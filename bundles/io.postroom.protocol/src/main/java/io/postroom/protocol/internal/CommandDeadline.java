package io.postroom.protocol.internal;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The command timeout of one IMAP connection: how long the command the connection waits for may
 * still take; or of one SMTP session: how long all of it may still take. The read timeout bounds
 * each wait for the next bytes only, so a server that sends a byte every 50 seconds would keep one
 * command (and the sync worker, attachment download or REST request that waits for it) running for
 * days; this bounds the whole command, or the whole SMTP session.
 *
 * <p><b>How.</b> The reading thread enforces it itself, at the socket: every read of the
 * connection's plain socket ({@link PolicySocketFactory.PolicySocket}, via
 * {@link DeadlineInputStream}) waits at most until the deadline (its {@code SO_TIMEOUT} lowered to
 * the time left when that is shorter than the read timeout) and, once the deadline has passed,
 * closes the socket and fails with a {@link CommandTimeoutException} at once, whether the server
 * is silent or drips. No other thread is involved, so nothing touches Angus's locks:
 * {@code Protocol.command()} holds the protocol's monitor while it blocks in a read, and
 * {@code disconnect()} or {@code IMAPStore.close()} from a watchdog thread would block on that
 * monitor until the read returned. Nor is a thread needed per connection, or one per connector
 * with a life cycle of its own: a connection nobody reads from costs nothing.
 *
 * <p><b>TLS.</b> The JDK layers its {@code SSLSocket} over the plain socket (SSL from the start
 * or after STARTTLS) and reads the plain socket's input stream (a layered
 * {@code SSLSocketImpl} reads {@code self.getInputStream()}), so every TLS record, the handshake's
 * included, is read under the deadline too. After the handshake the JDK passes a
 * {@link SocketTimeoutException} through unwrapped and leaves the TLS state alone; during the
 * handshake it wraps it in an {@code SSLHandshakeException} (the cause kept, classified as a
 * timeout all the same).
 *
 * <p><b>Which deadline.</b>
 * <ul>
 * <li>Opening: from the connection's creation until the first command after a successful login,
 * everything (TCP connect aside, which has its own timeout; TLS handshake, greeting, CAPABILITY,
 * STARTTLS, LOGIN or AUTHENTICATE) must be done within one timeout.</li>
 * <li>Then per command, from when it is written until its tagged answer. A command that carries
 * further commands after CRLF, each with its tag (the sync's pipelined rounds, sent in one write),
 * is several commands: the server answers them in turn, so each gets the timeout from when the one
 * before it was answered. A tagged answer whose tag no outstanding command has (a server making
 * up tags to look busy) moves nothing.</li>
 * <li>No command outstanding, or {@code IDLE} (which waits for the server by design; Postroom uses
 * none): no deadline, the read timeout alone.</li>
 * <li>An SMTP session ({@link #smtpSession}): one deadline for all of it, from the socket's creation
 * to its close (greeting, EHLO, STARTTLS and the TLS handshake, AUTH, every message sent and
 * whatever is read on closing). It stays in its opening phase: nothing notes SMTP commands. The
 * connections Postroom opens are short (a login test, one verification mail), and the callers, a
 * REST request or a console command, wait for all of it, not for one answer. See
 * {@link DefaultMailConnector#openSmtp}.</li>
 * </ul>
 *
 * <p>Commands are noted by {@link BoundedImapProtocol#writeCommand} (every command Angus and
 * Postroom send passes there, before its first byte) and answers by its {@code readResponse}.
 * Thread-safe: the state changes under this object's lock, the reading side reads one volatile.
 */
final class CommandDeadline {
    /** What is waited for ({@code null}: the opening of the connection) and until when, in {@link #now()} nanoseconds. */
    record Due(long at, String command) {
    }

    /** One command written (or being written) and not answered yet. */
    static final class Command {
        private final String name;
        private String tag; // null while it is being written

        private Command(String name) {
            this.name = name;
        }
    }

    private final Duration timeout;
    private final long timeoutNanos;
    private final LongSupplier clock;
    private final ArrayDeque<Command> outstanding = new ArrayDeque<>();
    private final long openingDue;
    private final boolean session;
    private boolean opening = true;
    private long headSince;
    private volatile Due due;
    private volatile Socket socket;
    private volatile CommandTimeoutException timedOut;

    /** A deadline for a connection being opened now. */
    CommandDeadline(Duration timeout) {
        this(timeout, System::nanoTime);
    }

    /** With a clock of its own (tests); {@code clock} counts nanoseconds as {@link System#nanoTime()} does. */
    CommandDeadline(Duration timeout, LongSupplier clock) {
        this(timeout, clock, false);
    }

    /**
     * A deadline for an SMTP session being opened now, until its connection is closed: everything read
     * from the server, however many commands, within {@code timeout}.
     */
    static CommandDeadline smtpSession(Duration timeout) {
        return new CommandDeadline(timeout, System::nanoTime, true);
    }

    /** {@link #smtpSession(Duration)} with a clock of its own (tests). */
    static CommandDeadline smtpSession(Duration timeout, LongSupplier clock) {
        return new CommandDeadline(timeout, clock, true);
    }

    private CommandDeadline(Duration timeout, LongSupplier clock, boolean session) {
        this.session = session;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the command timeout must be positive, was " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
        this.clock = clock;
        this.openingDue = clock.getAsLong() + timeoutNanos;
        this.due = new Due(openingDue, null);
    }

    Duration timeout() {
        return timeout;
    }

    long now() {
        return clock.getAsLong();
    }

    /** What the connection waits for now and until when; null when it waits for nothing (no deadline). */
    Due due() {
        return due;
    }

    /** The connection's plain socket, closed by {@link #abort()}; set when the socket is created. */
    void attach(Socket plain) {
        this.socket = plain;
    }

    boolean attached() {
        return socket != null;
    }

    /**
     * Whether this deadline covers a whole session (SMTP) rather than the commands of one IMAP
     * connection: every socket created while it is handed over ({@link PolicySocketFactory#openingFor})
     * reads under it, not the first one only, so that a second socket Angus might make on the way is
     * not left without one. ({@link #abort()} closes the last of them.)
     */
    boolean coversSession() {
        return session;
    }

    /**
     * A command is about to be written.
     *
     * @param command       the command as given to {@code writeCommand} (its name, possibly its arguments)
     * @param authenticated whether the connection is logged in: the first command after the login ends the opening
     * @return what to hand to {@link #written} or {@link #notWritten}; null when the command is not timed
     */
    synchronized Command writing(String command, boolean authenticated) {
        if (opening) {
            if (!authenticated || session) {
                return null; // part of the opening (for an SMTP session: all of it), under its deadline
            }
            opening = false;
        }
        String name = name(command);
        if (name.equals("IDLE")) {
            return null;
        }
        Command c = new Command(name);
        add(c);
        return c;
    }

    /**
     * The command was written and got this tag. Further commands after CRLF in {@code command}
     * (pipelined in the same write) are outstanding from now on as well, each under its own tag.
     */
    synchronized void written(Command c, String tag, String command) {
        if (c == null) {
            return;
        }
        c.tag = tag;
        int line = command.indexOf("\r\n");
        while (line >= 0) {
            int start = line + 2;
            int next = command.indexOf("\r\n", start);
            String text = command.substring(start, next < 0 ? command.length() : next);
            int space = text.indexOf(' ');
            if (space > 0) {
                Command more = new Command(name(text.substring(space + 1)));
                more.tag = text.substring(0, space);
                add(more);
            }
            line = next;
        }
        update();
    }

    /** Writing the command failed: it is not outstanding (the connection is usually gone). */
    synchronized void notWritten(Command c) {
        if (c != null && remove(c)) {
            update();
        }
    }

    /** A tagged answer came: the command with this tag is done; one of no outstanding command changes nothing. */
    synchronized void answered(String tag) {
        if (tag == null) {
            return;
        }
        for (Iterator<Command> it = outstanding.iterator(); it.hasNext();) {
            Command c = it.next();
            if (tag.equals(c.tag)) {
                remove(c);
                update();
                return;
            }
        }
    }

    /**
     * The deadline {@code d} has passed: the failure to throw, the connection being closed by the
     * caller.
     */
    CommandTimeoutException expired(Due d, SocketTimeoutException cause) {
        CommandTimeoutException e = session ? CommandTimeoutException.smtpSession(timeout, cause)
                : new CommandTimeoutException(d.command(), timeout, cause);
        timedOut = e;
        return e;
    }

    /** The failure of the connection's deadline, once it passed; null before. */
    CommandTimeoutException timedOut() {
        return timedOut;
    }

    /**
     * Closes the connection's plain socket now, without any of Angus's locks: a read blocked on it
     * fails at once.
     */
    void abort() {
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closed either way
            }
        }
    }

    private void add(Command c) {
        if (outstanding.isEmpty()) {
            headSince = clock.getAsLong();
        }
        outstanding.addLast(c);
        update();
    }

    private boolean remove(Command c) {
        boolean head = outstanding.peekFirst() == c;
        boolean removed = outstanding.remove(c);
        if (head && !outstanding.isEmpty()) {
            // the next one's turn starts now: the server answers pipelined commands one after the other
            headSince = clock.getAsLong();
        }
        return removed;
    }

    private void update() {
        if (opening) {
            due = new Due(openingDue, null);
        } else if (outstanding.isEmpty()) {
            due = null;
        } else {
            due = new Due(headSince + timeoutNanos, outstanding.peekFirst().name);
        }
    }

    /**
     * The command's name for messages: its first word, two for {@code UID} commands; never its
     * arguments (LOGIN's hold the password).
     */
    static String name(String command) {
        String s = command.strip();
        int end = 0;
        while (end < s.length() && s.charAt(end) > ' ') {
            end++;
        }
        String first = s.substring(0, end).toUpperCase(Locale.ROOT);
        if (first.equals("UID")) {
            int start = end;
            while (start < s.length() && s.charAt(start) == ' ') {
                start++;
            }
            int stop = start;
            while (stop < s.length() && s.charAt(stop) > ' ') {
                stop++;
            }
            if (stop > start) {
                return first + " " + s.substring(start, stop).toUpperCase(Locale.ROOT);
            }
        }
        return first.length() > 32 ? first.substring(0, 32) : first;
    }
}
