package io.postroom.protocol;

import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.Security;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A tiny mail server on loopback that answers what a test scripts: reply codes GreenMail cannot
 * give (421 greetings, 4yz and 5yz replies, IMAP [UNAVAILABLE]) and SMTP STARTTLS, which GreenMail
 * 2.1 does not offer, and IMAP and SMTP servers that drip their answers (a few bytes, a pause, a few bytes:
 * never silent for a read timeout, never done). It records every line it receives.
 */
abstract class ScriptedServer implements AutoCloseable {
    private final ServerSocket server;
    private final Thread acceptor;
    /** Every line received, in order, over all connections. */
    final List<String> received = Collections.synchronizedList(new ArrayList<>());
    /**
     * One permit each time the client was seen to hang up (a write failed, or a read found the end of
     * the stream or a reset): the client closed the connection.
     */
    final Semaphore hangUps = new Semaphore(0);

    ScriptedServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        acceptor = new Thread(this::acceptLoop, getClass().getSimpleName());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    Endpoint endpoint(Security security) {
        return new Endpoint("127.0.0.1", server.getLocalPort(), security);
    }

    boolean receivedStartingWith(String prefix) {
        synchronized (received) {
            return received.stream().anyMatch(l -> l.toUpperCase(Locale.ROOT).startsWith(prefix.toUpperCase(Locale.ROOT)));
        }
    }

    int indexOfLineStartingWith(String prefix) {
        synchronized (received) {
            for (int i = 0; i < received.size(); i++) {
                if (received.get(i).toUpperCase(Locale.ROOT).startsWith(prefix.toUpperCase(Locale.ROOT))) {
                    return i;
                }
            }
            return -1;
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> {
                    try (Conversation c = new Conversation(s)) {
                        converse(c);
                    } catch (IOException | RuntimeException e) {
                        // the client hung up or the handshake failed: the test looks at the client side
                    }
                }, getClass().getSimpleName() + "-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Talks to one client. */
    abstract void converse(Conversation c) throws IOException;

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** One connection: lines in and out, and an upgrade to TLS. */
    final class Conversation implements AutoCloseable {
        private Socket socket;
        private BufferedReader in;
        private OutputStream out;
        boolean secure;

        Conversation(Socket socket) throws IOException {
            socket.setSoTimeout(20_000);
            attach(socket);
        }

        private void attach(Socket s) throws IOException {
            socket = s;
            in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            out = s.getOutputStream();
        }

        /** The next line from the client; null when it hung up. */
        String read() throws IOException {
            String line;
            try {
                line = in.readLine();
            } catch (SocketTimeoutException e) {
                throw e; // this side's own read timeout: the client did not hang up
            } catch (IOException e) {
                hangUps.release(); // reset by the client
                throw e;
            }
            if (line == null) {
                hangUps.release();
            } else {
                received.add(line);
            }
            return line;
        }

        void send(String... lines) throws IOException {
            StringBuilder b = new StringBuilder();
            for (String l : lines) {
                b.append(l).append("\r\n");
            }
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /**
         * Sends {@code start} and then 'x' without end (no CRLF) until the client hangs up, or at
         * most {@code cap} bytes (so that a test that fails does not leave a thread writing for ever).
         */
        void sendEndless(String start, long cap) throws IOException {
            out.write(start.getBytes(StandardCharsets.UTF_8));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            for (long sent = 0; sent < cap; sent += chunk.length) {
                out.write(chunk);
            }
            out.flush();
        }

        /**
         * Sends {@code text} a byte at a time with {@code pauseMillis} between the bytes (flushed
         * each time, as a server that drips its answer does); stops early when the client hung up.
         */
        void drip(String text, long pauseMillis) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            for (byte b : bytes) {
                try {
                    out.write(b);
                    out.flush();
                } catch (IOException e) {
                    hangUps.release(); // the client closed the connection
                    throw e;
                }
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        /** Reads and drops whatever the client sends until it hangs up (a server that never answers). */
        void stayQuiet() {
            try {
                while (socket.getInputStream().read() >= 0) {
                    // nothing to say
                }
                hangUps.release();
            } catch (SocketTimeoutException e) {
                // this side's own read timeout: the client did not hang up
            } catch (IOException e) {
                hangUps.release(); // reset by the client
            }
        }

        void startTls(SSLContext context) throws IOException {
            SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
            ssl.setUseClientMode(false);
            ssl.startHandshake();
            attach(ssl);
            secure = true;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * An SMTP server: EHLO, optional STARTTLS, AUTH PLAIN, MAIL, RCPT, DATA, with scripted replies;
     * any answer may be dripped ({@link #drip}) or never given ({@link #silentOn}).
     */
    static final class Smtp extends ScriptedServer {
        volatile String greeting = "220 scripted ESMTP";
        volatile SSLContext tls;
        /** With {@link #tls}: after answering STARTTLS, never answer the client's TLS hello. */
        volatile boolean quietHandshake;
        /** With {@link #tls}: TLS from the first byte (smtps) instead of STARTTLS. */
        volatile boolean sslFromStart;
        volatile boolean offerAuth = true;
        volatile String authReply = "235 2.7.0 Authentication successful";
        volatile String mailReply = "250 2.1.0 Ok";
        volatile String rcptReply = "250 2.1.5 Ok";
        /** The answer to the message (after DATA and its final "."). */
        volatile String queuedReply = "250 2.0.0 Ok: queued";
        volatile String quitReply = "221 2.0.0 Bye";
        volatile int messages;
        /**
         * Answers sent a byte at a time, this many milliseconds apart, by what they answer: GREETING, EHLO,
         * STARTTLS, AUTH, MAIL, RCPT, DATA, "." (the message), QUIT; "*" for every answer not named.
         */
        final Map<String, Long> drip = new ConcurrentHashMap<>();
        /** What is never answered (named as in {@link #drip}): the server reads on until the client hangs up. */
        volatile String silentOn;

        Smtp() throws IOException {
            super();
        }

        /** Answers {@code what} as scripted; false when it stays silent instead (the conversation is over). */
        private boolean answer(Conversation c, String what, String... lines) throws IOException {
            if (what.equals(silentOn)) {
                c.stayQuiet();
                return false;
            }
            long pause = drip.getOrDefault(what, drip.getOrDefault("*", 0L));
            if (pause > 0) {
                c.drip(String.join("\r\n", lines) + "\r\n", pause);
            } else {
                c.send(lines);
            }
            return true;
        }

        @Override
        void converse(Conversation c) throws IOException {
            if (tls != null && sslFromStart) {
                c.startTls(tls);
            }
            if (!answer(c, "GREETING", greeting) || !greeting.startsWith("220")) {
                return;
            }
            String line;
            while ((line = c.read()) != null) {
                String command = line.toUpperCase(Locale.ROOT);
                boolean goOn = true;
                if (command.startsWith("EHLO")) {
                    List<String> ext = new ArrayList<>(List.of("scripted", "8BITMIME"));
                    if (tls != null && !c.secure) {
                        ext.add("STARTTLS");
                    }
                    if (offerAuth && (tls == null || c.secure)) {
                        ext.add("AUTH PLAIN");
                    }
                    String[] lines = new String[ext.size()];
                    for (int i = 0; i < ext.size(); i++) {
                        lines[i] = (i == ext.size() - 1 ? "250 " : "250-") + ext.get(i);
                    }
                    goOn = answer(c, "EHLO", lines);
                } else if (command.startsWith("HELO") || command.startsWith("RSET") || command.startsWith("NOOP")) {
                    c.send("250 Ok");
                } else if (command.startsWith("STARTTLS") && tls != null) {
                    goOn = answer(c, "STARTTLS", "220 2.0.0 Ready to start TLS");
                    if (goOn && quietHandshake) {
                        c.stayQuiet();
                        goOn = false;
                    } else if (goOn) {
                        c.startTls(tls);
                    }
                } else if (command.startsWith("AUTH")) {
                    goOn = answer(c, "AUTH", authReply);
                } else if (command.startsWith("MAIL")) {
                    goOn = answer(c, "MAIL", mailReply);
                } else if (command.startsWith("RCPT")) {
                    goOn = answer(c, "RCPT", rcptReply);
                } else if (command.startsWith("DATA")) {
                    if (answer(c, "DATA", "354 End data with <CR><LF>.<CR><LF>")) {
                        String data;
                        while ((data = c.read()) != null && !data.equals(".")) {
                            // the message
                        }
                        messages++;
                        goOn = answer(c, ".", queuedReply);
                    } else {
                        goOn = false;
                    }
                } else if (command.startsWith("QUIT")) {
                    answer(c, "QUIT", quitReply);
                    return;
                } else {
                    c.send("502 5.5.2 Error: command not recognized");
                }
                if (!goOn) {
                    return;
                }
            }
        }
    }

    /**
     * An IMAP server that greets as scripted and answers LOGIN (and LIST, when given) as scripted;
     * with {@link #tls}, TLS from the first byte (imaps).
     */
    static final class Imap extends ScriptedServer {
        volatile String greeting = "* OK [CAPABILITY IMAP4rev1] scripted ready";
        volatile String loginReply = "OK Logged in";
        /** The answer to LIST; null: no folders. */
        volatile Reply listReply;
        /** TLS from the first byte (imaps); null: plain text. */
        volatile SSLContext tls;
        /** With {@link #tls}: never answer the client's TLS hello (the handshake waits). */
        volatile boolean quietHandshake;
        /** Above zero: the greeting is sent a byte at a time, this many milliseconds apart. */
        volatile long greetingDripMillis;
        /** Above zero: the answer to LOGIN is sent a byte at a time, this many milliseconds apart. */
        volatile long loginDripMillis;

        /** A scripted answer to one command. */
        @FunctionalInterface
        interface Reply {
            void answer(Conversation c, String tag) throws IOException;
        }

        Imap() throws IOException {
            super();
        }

        @Override
        void converse(Conversation c) throws IOException {
            if (tls != null) {
                if (quietHandshake) {
                    c.stayQuiet();
                    return;
                }
                c.startTls(tls);
            }
            if (greetingDripMillis > 0) {
                c.drip(greeting + "\r\n", greetingDripMillis);
            } else {
                c.send(greeting);
            }
            if (greeting.startsWith("* BYE")) {
                return;
            }
            String line;
            while ((line = c.read()) != null) {
                String[] parts = line.split(" ", 3);
                String tag = parts[0];
                String command = parts.length > 1 ? parts[1].toUpperCase(Locale.ROOT) : "";
                switch (command) {
                    case "CAPABILITY" -> c.send("* CAPABILITY IMAP4rev1", tag + " OK done");
                    case "LOGIN" -> {
                        if (loginDripMillis > 0) {
                            c.drip(tag + " " + loginReply + "\r\n", loginDripMillis);
                        } else {
                            c.send(tag + " " + loginReply);
                        }
                    }
                    case "LIST" -> {
                        Reply reply = listReply;
                        if (reply == null) {
                            c.send(tag + " OK done");
                        } else {
                            reply.answer(c, tag);
                        }
                    }
                    case "LOGOUT" -> {
                        c.send("* BYE bye", tag + " OK done");
                        return;
                    }
                    default -> c.send(tag + " BAD unknown command");
                }
            }
        }
    }
}
